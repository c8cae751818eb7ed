using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace LlmRouter.Samples.Tests.Support;

/// <summary>
/// A provider registered in code (<c>"Kind": "Custom"</c>) whose answer a test sets: text, tool calls, usage, or a
/// failure. It records what it was sent and who the ambient caller was, and can hold a stream after its first update.
/// </summary>
internal sealed class StubProvider : IChatClient
{
    private readonly Lock _lock = new();
    private readonly List<StubCall> _calls = [];

    /// <summary>Gets or sets the answer; the default is a short text with usage.</summary>
    public Func<ChatResponse> Answer { get; set; } = () => new ChatResponse(new ChatMessage(ChatRole.Assistant, "Hello from the stub."))
    {
        FinishReason = ChatFinishReason.Stop,
        Usage = new UsageDetails { InputTokenCount = 12, OutputTokenCount = 5, TotalTokenCount = 17 },
    };

    /// <summary>Gets or sets the pieces a stream sends its text in, one update each, followed by an update with the finish reason and usage; when <see langword="null"/>, the stream is <see cref="Answer"/>'s updates.</summary>
    public string[]? StreamChunks { get; set; }

    /// <summary>Gets or sets a failure to throw instead of answering.</summary>
    public Exception? Failure { get; set; }

    /// <summary>Gets or sets what a stream waits for after its first update, if anything.</summary>
    public Task? HoldAfterFirstUpdate { get; set; }

    /// <summary>Gets or sets a failure a stream throws after its first update.</summary>
    public Exception? FailAfterFirstUpdate { get; set; }

    public IReadOnlyList<StubCall> Calls
    {
        get
        {
            lock (_lock)
            {
                return [.. _calls];
            }
        }
    }

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Record(messages, options);
        return Failure is { } failure ? Task.FromException<ChatResponse>(failure) : Task.FromResult(Answer());
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Record(messages, options);
        await Task.Yield();
        if (Failure is { } failure)
        {
            throw failure;
        }

        bool first = true;
        foreach (ChatResponseUpdate update in Updates())
        {
            yield return update;
            if (first)
            {
                first = false;
                if (HoldAfterFirstUpdate is { } hold)
                {
                    await hold.WaitAsync(cancellationToken);
                }

                if (FailAfterFirstUpdate is { } late)
                {
                    throw late;
                }
            }
        }
    }

    private IEnumerable<ChatResponseUpdate> Updates()
    {
        ChatResponse answer = Answer();
        if (StreamChunks is null)
        {
            return answer.ToChatResponseUpdates();
        }

        var updates = new List<ChatResponseUpdate>();
        foreach (string chunk in StreamChunks)
        {
            updates.Add(new ChatResponseUpdate(ChatRole.Assistant, chunk) { ResponseId = "stub", MessageId = "stub" });
        }

        var last = new ChatResponseUpdate { Role = ChatRole.Assistant, ResponseId = "stub", MessageId = "stub", FinishReason = answer.FinishReason };
        if (answer.Usage is { } usage)
        {
            last.Contents.Add(new UsageContent(usage));
        }

        updates.Add(last);
        return updates;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }

    private void Record(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        lock (_lock)
        {
            _calls.Add(new StubCall([.. messages], options?.Clone(), RouterContext.Current));
        }
    }
}

/// <summary>One call a <see cref="StubProvider"/> received.</summary>
/// <param name="Messages">The messages sent.</param>
/// <param name="Options">A copy of the options sent.</param>
/// <param name="Caller">The ambient caller the request was made in.</param>
internal sealed record StubCall(IReadOnlyList<ChatMessage> Messages, ChatOptions? Options, RouterContext? Caller);
