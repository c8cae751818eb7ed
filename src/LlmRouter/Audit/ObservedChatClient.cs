using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace LlmRouter;

/// <summary>
/// Audit-only mode: stands where the routing layers would, in front of a client LlmRouter does not route, and records
/// its one call on the request's route as an attempt — provider (from the client's metadata), model, outcome,
/// classified error, timings, tokens (counted when the client reports none) and cost at the built-in catalog's price.
/// </summary>
/// <remarks>
/// It changes nothing in the request or the response and lets every exception through as it is. The region of an
/// observed client is not known and is recorded as such. Thread-safe.
/// </remarks>
internal sealed class ObservedChatClient : DelegatingChatClient
{
    private const int MaxCachedDeployments = 256;

    private readonly TimeProvider _time;
    private readonly ErrorClassification _errors;
    private readonly string _provider;
    private readonly string? _defaultModel;
    private readonly IReadOnlyList<string> _catalogPrefixes;
    private readonly UsageFormat _usageFormat;
    private readonly ConcurrentDictionary<string, Deployment> _deployments = new(StringComparer.Ordinal);

    public ObservedChatClient(IChatClient innerClient, TimeProvider timeProvider, ErrorClassification errors)
        : base(innerClient)
    {
        _time = timeProvider;
        _errors = errors;
        var metadata = innerClient.GetService(typeof(ChatClientMetadata)) as ChatClientMetadata;
        _provider = string.IsNullOrEmpty(metadata?.ProviderName) ? "unknown" : metadata.ProviderName;
        _defaultModel = metadata?.DefaultModelId;
        _catalogPrefixes = DeploymentPricing.ProviderPrefixes(_provider, new ProviderOptions { Kind = ProviderKind.Custom, Endpoint = metadata?.ProviderUri });
        _usageFormat = UsageNormalizer.Resolve(UsageFormat.Auto, ProviderKind.Custom, innerClient);
    }

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (options is not RouterChatOptions { Route: { } route })
        {
            return await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        }

        RouteAttempt attempt = route.BeginAttempt(DeploymentFor(route));
        long start = _time.GetTimestamp();
        ChatResponse response;
        try
        {
            response = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            AttemptPricing.Record(route, attempt, response: null);
            End(route, attempt, AttemptOutcome.Cancelled, start);
            throw;
        }
        catch (Exception ex)
        {
            AttemptPricing.Record(route, attempt, response: null);
            Fail(route, attempt, ex, start);
            throw;
        }

        AttemptPricing.Record(route, attempt, response);
        End(route, attempt, AttemptOutcome.Succeeded, start);
        return response;
    }

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        options is RouterChatOptions { Route: { } route }
            ? ObserveStreamAsync(messages, (RouterChatOptions)options, route, cancellationToken)
            : base.GetStreamingResponseAsync(messages, options, cancellationToken);

    private async IAsyncEnumerable<ChatResponseUpdate> ObserveStreamAsync(IEnumerable<ChatMessage> messages, RouterChatOptions options, RouteInfo route, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        RouteAttempt attempt = route.BeginAttempt(DeploymentFor(route));
        long start = _time.GetTimestamp();
        IAsyncEnumerator<ChatResponseUpdate>? updates = null;
        UsageDetails? usage = null;
        using var transcript = new StreamTranscript();
        bool completed = false;
        try
        {
            while (true)
            {
                try
                {
                    updates ??= base.GetStreamingResponseAsync(messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
                    if (!await updates.MoveNextAsync().ConfigureAwait(false))
                    {
                        completed = true;
                        break;
                    }
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }
                catch (Exception ex)
                {
                    AttemptPricing.Record(route, attempt, usage, transcript, processed: attempt.OutputStarted);
                    Fail(route, attempt, ex, start);
                    throw;
                }

                ChatResponseUpdate update = updates.Current;
                if (!attempt.OutputStarted)
                {
                    attempt.OutputStarted = true;
                    attempt.TimeToFirstToken = _time.GetElapsedTime(start);
                    route.TimeToFirstToken ??= route.Elapsed;
                }

                usage = UsageNormalizer.Accumulate(usage, update, _usageFormat);
                transcript.Append(update.Contents);
                yield return update;
            }
        }
        finally
        {
            if (updates is not null)
            {
                await updates.DisposeAsync().ConfigureAwait(false);
            }

            if (attempt.Outcome == AttemptOutcome.Pending)
            {
                AttemptPricing.Record(route, attempt, usage, transcript, processed: completed || attempt.OutputStarted);
                End(route, attempt, completed ? AttemptOutcome.Succeeded : AttemptOutcome.Cancelled, start);
            }
        }
    }

    private void End(RouteInfo route, RouteAttempt attempt, AttemptOutcome outcome, long start)
    {
        attempt.Outcome = outcome;
        attempt.Duration = _time.GetElapsedTime(start);
        if (outcome == AttemptOutcome.Succeeded || attempt.OutputStarted)
        {
            route.Deployment = attempt.Deployment;
        }

    }

    private void Fail(RouteInfo route, RouteAttempt attempt, Exception exception, long start)
    {
        ProviderFailure failure = _errors.Classify(exception);
        attempt.ErrorClass = failure.ErrorClass;
        attempt.StatusCode = failure.StatusCode;
        attempt.RetryAfter = failure.RetryAfter;
        attempt.Error = SecretRedactor.Empty.Redact(exception.Message);
        End(route, attempt, AttemptOutcome.Failed, start);
    }

    /// <summary>The observed client as a deployment of the requested model, with the catalog's price for the model id.</summary>
    private Deployment DeploymentFor(RouteInfo route)
    {
        string model = route.RequestedModel ?? _defaultModel ?? string.Empty;
        if (_deployments.TryGetValue(model, out Deployment? known))
        {
            return known;
        }

        PriceCatalogEntry? entry = model.Length == 0 ? null : PriceCatalog.BuiltIn.Resolve(model, _catalogPrefixes);
        var deployment = new Deployment(model, 0, _provider, ProviderKind.Custom, region: string.Empty, model, 1, InnerClient, new DeploymentHealth(_provider + "/" + model, _time))
        {
            Price = entry?.Price,
            MaxInputTokens = entry?.MaxInputTokens,
            MaxOutputTokens = entry?.MaxOutputTokens,
            UsageFormat = _usageFormat,
            Tokenizer = TokenCounting.ChoiceFor(model),
        };

        // Model names come from callers: keep a bounded number of them.
        if (_deployments.Count < MaxCachedDeployments)
        {
            _deployments.TryAdd(model, deployment);
        }

        return deployment;
    }
}
