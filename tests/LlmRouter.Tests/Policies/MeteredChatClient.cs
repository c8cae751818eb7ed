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

    /// <summary>Waits until <paramref name="count"/> calls are in flight.</summary>
    public async Task WaitForInFlightAsync(int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (InFlight < count)
        {
            await Task.Delay(1, timeout.Token);
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
        int inFlight = Interlocked.Increment(ref _inFlight);
        lock (_lock)
        {
            Calls++;
            MaxInFlight = Math.Max(MaxInFlight, inFlight);
        }
    }
}
