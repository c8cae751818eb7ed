using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace LlmRouter.Tests.Support;

/// <summary>
/// A provider registered in code (<c>"Kind": "Custom"</c>) whose answers a test scripts: each call takes the next step.
/// It stands for the SDK clients users plug in (Anthropic, Ollama); the failures it throws are the shapes LlmRouter classifies.
/// </summary>
internal sealed class ScriptedChatClient : IChatClient
{
    private readonly Queue<Func<int, Exception?>> _steps = new();
    private readonly Lock _lock = new();

    public int Calls { get; private set; }

    public List<ChatOptions?> SeenOptions { get; } = [];

    public CancellationToken LastToken { get; private set; }

    public ScriptedChatClient Then(Exception failure)
    {
        _steps.Enqueue(_ => failure);
        return this;
    }

    public ScriptedChatClient ThenSucceed()
    {
        _steps.Enqueue(_ => null);
        return this;
    }

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Exception? failure = Next(options, cancellationToken);
        return failure is null
            ? Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "scripted")) { ModelId = options?.ModelId, Usage = new UsageDetails { InputTokenCount = 10, OutputTokenCount = 2 } })
            : Task.FromException<ChatResponse>(failure);
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Exception? failure = Next(options, cancellationToken);
        await Task.Yield();
        if (failure is not null)
        {
            throw failure;
        }

        yield return new ChatResponseUpdate(ChatRole.Assistant, "scripted");
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }

    private Exception? Next(ChatOptions? options, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            Calls++;
            SeenOptions.Add(options);
            LastToken = cancellationToken;
            return _steps.Count == 0 ? null : _steps.Dequeue()(Calls);
        }
    }
}
