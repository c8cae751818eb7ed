using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace LlmRouter.Tests.Policies;

/// <summary>
/// A provider registered in code that reports the usage a spec sets and, when asked to, holds every call until the spec
/// opens the gate — so a spec can have many requests in flight at once without sleeping.
/// </summary>
internal sealed class MeteredChatClient : IChatClient
{
    private readonly Lock _lock = new();
    private readonly List<(int Count, TaskCompletionSource Reached)> _waiters = [];
    private TaskCompletionSource _gate = Open();
    private int _inFlight;

    public int Calls { get; private set; }

    public int InFlight => Volatile.Read(ref _inFlight);

    public int MaxInFlight { get; private set; }

    public long InputTokens { get; set; } = 10;

    public long OutputTokens { get; set; } = 2;

    /// <summary>Makes every call from now on wait until <see cref="OpenGate"/>.</summary>
    public void CloseGate() => _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void OpenGate() => _gate.TrySetResult();

    /// <summary>Waits until <paramref name="count"/> calls are in flight: signalled by the call that makes it so, never polled.</summary>
    public Task WaitForInFlightAsync(int count)
    {
        lock (_lock)
        {
            if (_inFlight >= count)
            {
                return Task.CompletedTask;
            }

            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, reached));
            return reached.Task.WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Enter();
        try
        {
            await _gate.Task.WaitAsync(cancellationToken);
            return new ChatResponse(new ChatMessage(ChatRole.Assistant, "metered"))
            {
                Usage = new UsageDetails { InputTokenCount = InputTokens, OutputTokenCount = OutputTokens },
            };
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Enter();
        try
        {
            await _gate.Task.WaitAsync(cancellationToken);
            yield return new ChatResponseUpdate(ChatRole.Assistant, "metered");
            yield return new ChatResponseUpdate
            {
                Contents = [new UsageContent(new UsageDetails { InputTokenCount = InputTokens, OutputTokenCount = OutputTokens })],
            };
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }

    private static TaskCompletionSource Open()
    {
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        open.SetResult();
        return open;
    }

    private void Enter()
    {
        lock (_lock)
        {
            int inFlight = Interlocked.Increment(ref _inFlight);
            Calls++;
            MaxInFlight = Math.Max(MaxInFlight, inFlight);
            for (int i = _waiters.Count - 1; i >= 0; i--)
            {
                if (inFlight >= _waiters[i].Count)
                {
                    _waiters[i].Reached.TrySetResult();
                    _waiters.RemoveAt(i);
                }
            }
        }
    }
}
