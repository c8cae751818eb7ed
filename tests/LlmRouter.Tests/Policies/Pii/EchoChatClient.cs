using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace LlmRouter.Tests.Policies.Pii;

/// <summary>
/// A provider registered in code that records exactly what it was sent and answers by echoing the last message — so a
/// spec sees what left the process, and placeholders come back in the answer as a model would repeat them. Streams
/// answer in chunks of three characters, which splits placeholders across updates.
/// </summary>
internal sealed class EchoChatClient : IChatClient
{
    private readonly Lock _lock = new();
    private readonly List<IReadOnlyList<ChatMessage>> _sent = [];
    private readonly List<string?> _instructions = [];
    private readonly Func<Exception?>? _failure;

    public EchoChatClient(Func<Exception?>? failure = null) => _failure = failure;

    public int Calls
    {
        get
        {
            lock (_lock)
            {
                return _sent.Count;
            }
        }
    }

    /// <summary>Gets the messages of each call, as sent.</summary>
    public IReadOnlyList<IReadOnlyList<ChatMessage>> Sent
    {
        get
        {
            lock (_lock)
            {
                return [.. _sent];
            }
        }
    }

    /// <summary>Gets the instructions of each call, as sent.</summary>
    public IReadOnlyList<string?> Instructions
    {
        get
        {
            lock (_lock)
            {
                return [.. _instructions];
            }
        }
    }

    /// <summary>Gets every text of every call, joined.</summary>
    public string AllText => string.Join("\n", Sent.SelectMany(m => m).Select(m => m.Text).Concat(Instructions.Select(i => i ?? string.Empty)));

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        string answer = Record(messages, options);
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, answer))
        {
            Usage = new UsageDetails { InputTokenCount = 20, OutputTokenCount = 10 },
        });
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string answer = Record(messages, options);
        for (int i = 0; i < answer.Length; i += 3)
        {
            await Task.Yield();
            yield return new ChatResponseUpdate(ChatRole.Assistant, answer.Substring(i, Math.Min(3, answer.Length - i))) { MessageId = "echo-1" };
        }

        yield return new ChatResponseUpdate { Contents = [new UsageContent(new UsageDetails { InputTokenCount = 20, OutputTokenCount = 10 })] };
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }

    private string Record(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        List<ChatMessage> sent = [.. messages];
        lock (_lock)
        {
            _sent.Add(sent);
            _instructions.Add(options?.Instructions);
        }

        if (_failure?.Invoke() is { } failure)
        {
            throw failure;
        }

        return "Noted: " + sent[^1].Text;
    }
}
