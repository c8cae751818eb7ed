using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace LlmRouter;

/// <summary>
/// An in-process provider for development, tests, benchmarks and chaos testing: configurable latency, streaming
/// delay, output length, failure rate and failure kind, deterministic with a seed.
/// </summary>
/// <remarks>
/// <para>
/// The answer is a fixed sequence of <see cref="ProviderOptions.OutputTokens"/> common English words (one token each
/// in the OpenAI encodings). Token usage is reported like a real provider: input estimated from the prompt's length,
/// output as the number of words. Failures are decided by a random source seeded with <see cref="ProviderOptions.Seed"/>,
/// so the same seed and the same sequence of calls give the same failures.
/// </para>
/// <para>Thread-safe. Time comes from the given <see cref="TimeProvider"/>, so tests can drive latency with a fake clock.</para>
/// </remarks>
public sealed class SimulatedChatClient : IChatClient
{
    private static readonly string[] Vocabulary =
    [
        "the", "router", "sends", "each", "request", "to", "a", "model", "that", "this", "key", "may", "use", "and",
        "records", "what", "it", "cost", "so", "every", "client", "gets", "one", "answer", "from", "its", "own",
        "region", "with", "no", "extra", "hop",
    ];

    private readonly ProviderOptions _options;
    private readonly TimeProvider _time;
    private readonly string _name;
    private readonly Random _random;
    private readonly Lock _randomLock = new();
    private readonly string _text;
    private readonly string[] _chunks;
    private readonly ChatClientMetadata _metadata;

    /// <summary>Initializes a new instance of the <see cref="SimulatedChatClient"/> class.</summary>
    /// <param name="options">The provider's settings; only the simulated ones are used.</param>
    /// <param name="timeProvider">The clock for latency, delays and timeouts. The default is <see cref="TimeProvider.System"/>.</param>
    /// <param name="name">The provider's name, reported as the model id when the request names none.</param>
    public SimulatedChatClient(ProviderOptions options, TimeProvider? timeProvider = null, string name = "simulated")
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        _name = name;
        _random = options.Seed is int seed ? new Random(seed) : new Random();
        _chunks = new string[options.OutputTokens];
        var text = new StringBuilder(options.OutputTokens * 6);
        for (int i = 0; i < _chunks.Length; i++)
        {
            string word = Vocabulary[i % Vocabulary.Length];
            _chunks[i] = i == 0 ? word : " " + word;
            text.Append(_chunks[i]);
        }

        _text = text.ToString();
        _metadata = new ChatClientMetadata("simulated", providerUri: null, defaultModelId: name);
    }

    /// <inheritdoc/>
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        bool fails = DecideFailure();
        if (!fails && _options.Latency <= TimeSpan.Zero)
        {
            return cancellationToken.IsCancellationRequested
                ? Task.FromCanceled<ChatResponse>(cancellationToken)
                : Task.FromResult(CreateResponse(messages, options));
        }

        return RespondLaterAsync(messages, options, fails, cancellationToken);
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        bool fails = DecideFailure();
        int failAt = fails ? Math.Min(_options.FailAfterChunks ?? 0, _chunks.Length) : -1;
        string responseId = NewId();
        string modelId = options?.ModelId ?? _name;
        DateTimeOffset created = _time.GetUtcNow();

        await DelayAsync(_options.Latency, cancellationToken).ConfigureAwait(false);
        for (int i = 0; i < _chunks.Length; i++)
        {
            if (i == failAt)
            {
                await FailAsync(cancellationToken).ConfigureAwait(false);
            }

            if (i > 0)
            {
                await DelayAsync(_options.ChunkDelay, cancellationToken).ConfigureAwait(false);
            }

            cancellationToken.ThrowIfCancellationRequested();
            yield return new ChatResponseUpdate(ChatRole.Assistant, _chunks[i])
            {
                ResponseId = responseId,
                MessageId = responseId,
                ModelId = modelId,
                CreatedAt = created,
            };
        }

        if (failAt == _chunks.Length)
        {
            await FailAsync(cancellationToken).ConfigureAwait(false);
        }

        var final = new ChatResponseUpdate
        {
            Role = ChatRole.Assistant,
            ResponseId = responseId,
            MessageId = responseId,
            ModelId = modelId,
            CreatedAt = created,
            FinishReason = ChatFinishReason.Stop,
        };
        if (_options.ReportUsage)
        {
            final.Contents.Add(new UsageContent(CreateUsage(messages)));
        }

        yield return final;
    }

    /// <inheritdoc/>
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null :
            serviceType == typeof(ChatClientMetadata) ? _metadata :
            serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        // Nothing to release: the client holds no connection.
    }

    private async Task<ChatResponse> RespondLaterAsync(IEnumerable<ChatMessage> messages, ChatOptions? options, bool fails, CancellationToken cancellationToken)
    {
        await DelayAsync(_options.Latency, cancellationToken).ConfigureAwait(false);
        if (fails)
        {
            await FailAsync(cancellationToken).ConfigureAwait(false);
        }

        return CreateResponse(messages, options);
    }

    private ChatResponse CreateResponse(IEnumerable<ChatMessage> messages, ChatOptions? options) =>
        new(new ChatMessage(ChatRole.Assistant, _text))
        {
            ResponseId = NewId(),
            ModelId = options?.ModelId ?? _name,
            CreatedAt = _time.GetUtcNow(),
            FinishReason = ChatFinishReason.Stop,
            Usage = _options.ReportUsage ? CreateUsage(messages) : null,
        };

    private UsageDetails CreateUsage(IEnumerable<ChatMessage> messages)
    {
        long characters = 0;
        long count = 0;
        foreach (ChatMessage message in messages)
        {
            count++;
            foreach (AIContent content in message.Contents)
            {
                if (content is TextContent text)
                {
                    characters += text.Text.Length;
                }
            }
        }

        long input = (characters + 3) / 4 + (count * 4);
        return new UsageDetails
        {
            InputTokenCount = input,
            OutputTokenCount = _chunks.Length,
            TotalTokenCount = input + _chunks.Length,
        };
    }

    private bool DecideFailure()
    {
        if (_options.FailureRate <= 0)
        {
            return false;
        }

        lock (_randomLock)
        {
            return _random.NextDouble() < _options.FailureRate;
        }
    }

    private Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken) =>
        delay <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(delay, _time, cancellationToken);

    private async Task FailAsync(CancellationToken cancellationToken)
    {
        switch (_options.FailureKind)
        {
            case SimulatedFailureKind.RateLimited:
                throw new SimulatedProviderException(429, "Rate limit reached for requests (simulated).", _options.RetryAfter);
            case SimulatedFailureKind.ServerError:
                throw new SimulatedProviderException(500, "The server had an error while processing your request (simulated).");
            case SimulatedFailureKind.Timeout:
                await Task.Delay(_options.Timeout, _time, cancellationToken).ConfigureAwait(false);
                throw new TimeoutException($"The simulated provider '{_name}' did not answer within {_options.Timeout}.");
            case SimulatedFailureKind.MalformedResponse:
                throw new JsonException("The simulated provider's response body is not valid JSON.");
            default:
                throw new SimulatedProviderException(503, "The engine is currently overloaded, please try again later (simulated).");
        }
    }

    private static string NewId() => "sim-" + Guid.CreateVersion7().ToString("N");
}
