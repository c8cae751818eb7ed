using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace LlmRouter;

/// <summary>
/// The key policy layer: resolves the caller's virtual key, refuses what the key may not do, and guards personal data —
/// all before any provider is called.
/// </summary>
/// <remarks>
/// <para>
/// Identity: a key set on the request (<see cref="ChatOptionsExtensions.WithRouterKey"/>) wins over the ambient
/// <see cref="RouterContext"/>'s; without either, <see cref="LlmRouterOptions.AnonymousKey"/> applies, else the request
/// is refused (<see cref="UnknownKeyException"/>). A configuration without any key does not start. The user
/// and tags come from the ambient context. The key id is taken out of the options when the request enters the router:
/// it reaches no provider request, log line or telemetry tag, only <see cref="RouteInfo.Key"/>.
/// </para>
/// <para>
/// Whitelist: the requested alias must match one of the key's model patterns (<see cref="ModelNotAllowedException"/>,
/// <c>model_not_allowed</c>). Every deployment the fallback and routing layers would then try is screened too: an
/// alias outside the patterns, a region outside the key's regions, or a region where the PII policy blocks what the
/// request contains is skipped with the reason and never called. When nothing is left, the request is refused with
/// <c>model_not_allowed</c>, <c>region_not_allowed</c> or <c>policy_violation</c>.
/// </para>
/// <para>
/// PII guard: with a PII policy on the key (or its tenant), the request is scanned once; counts by kind go to
/// <see cref="RouteInfo.PiiFindings"/>. A kind blocked everywhere refuses the request
/// (<see cref="PolicyViolationException"/>). Redaction happens per attempt, for the region being called, so a fallback
/// to another region sends what that region's policy allows; with <see cref="PiiPolicyOptions.RestoreInResponse"/>
/// placeholders in the answer (streamed or not) are replaced by the original values.
/// </para>
/// <para>Thread-safe; one instance serves every request.</para>
/// </remarks>
public sealed class KeyPolicyChatClient : DelegatingChatClient
{
    private readonly RoutingTableProvider _tables;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly RouterTelemetry? _telemetry;

    internal KeyPolicyChatClient(IChatClient innerClient, RoutingTableProvider tables, TimeProvider timeProvider, ILogger logger, RouterTelemetry? telemetry)
        : base(innerClient)
    {
        _telemetry = telemetry;
        _tables = tables;
        _time = timeProvider;
        _logger = logger;
    }

    /// <inheritdoc/>
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        RouterRequest.Enter(ref messages, ref options, _time, _telemetry, streaming: false, out bool owner);
        var routed = (RouterChatOptions)options!;
        return owner
            ? RouterRequest.Run(this, messages, routed, static (self, m, o, ct) => self.GuardAsync(m, o, ct), cancellationToken)
            : GuardAsync(messages, routed, cancellationToken);
    }

    /// <inheritdoc/>
    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        RouterRequest.Enter(ref messages, ref options, _time, _telemetry, streaming: true, out bool owner);
        var routed = (RouterChatOptions)options!;
        return owner
            ? RouterRequest.StreamAsync(this, messages, routed, static (self, m, o, ct) => new GuardedStream(self, m, o, ct), cancellationToken)
            : new GuardedStream(this, messages, routed, cancellationToken);
    }

    /// <remarks>A refusal is thrown synchronously; the layer that owns the request (or the caller's <c>await</c>) records it.</remarks>
    private Task<ChatResponse> GuardAsync(IEnumerable<ChatMessage> messages, RouterChatOptions options, CancellationToken cancellationToken)
    {
        Admit(messages, options);
        Task<ChatResponse> response = InnerClient.GetResponseAsync(messages, options, cancellationToken);
        return options.Route.Pii is { Policy.RestoreInResponse: true } pii ? RestoreAsync(response, pii, options.Route) : response;
    }

    private static async Task<ChatResponse> RestoreAsync(Task<ChatResponse> pending, PiiRequest pii, RouteInfo route)
    {
        ChatResponse response = await pending.ConfigureAwait(false);
        if (route.Deployment is { } served)
        {
            pii.Restore(response, pii.RedactedIn(served.Region));
        }

        return response;
    }

    /// <summary>Replaces the placeholders in a stream's text by the values they stand for, once the stream is committed to a deployment.</summary>
    private static async IAsyncEnumerable<ChatResponseUpdate> RestoreStreamingAsync(IAsyncEnumerable<ChatResponseUpdate> stream, PiiRequest pii, RouteInfo route, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        IAsyncEnumerator<ChatResponseUpdate> updates = stream.GetAsyncEnumerator(cancellationToken);
        PiiStreamRestorer? restorer = null;
        bool first = true;
        try
        {
            while (await updates.MoveNextAsync().ConfigureAwait(false))
            {
                ChatResponseUpdate update = updates.Current;
                if (first)
                {
                    // The first update commits the stream to the deployment being called: restore what was redacted for its region.
                    first = false;
                    if (route.CurrentDeployment is { } serving && pii.RedactedIn(serving.Region) is int mask and not 0)
                    {
                        restorer = new PiiStreamRestorer(pii, mask);
                    }
                }

                if (restorer?.Process(update) is { } held)
                {
                    yield return held;
                }

                yield return update;
            }

            if (restorer?.Flush() is { } rest)
            {
                yield return rest;
            }
        }
        finally
        {
            await updates.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Resolves the caller's key and applies its policy to the request, or throws the refusal.</summary>
    private void Admit(IEnumerable<ChatMessage> messages, RouterChatOptions options)
    {
        RouteInfo route = options.Route;
        RoutingTable table = route.Table ??= _tables.Current;
        KeyPolicies keys = table.Policies;
        RouterContext? ambient = route.Ambient;
        if (ambient is not null)
        {
            route.User = ambient.User;
            route.Tags = ambient.Tags;
        }

        string? id = route.ExplicitKey ?? ambient?.Key;

        KeyPolicy? key;
        if (id is null)
        {
            key = keys.Anonymous ?? throw Refuse(new UnknownKeyException(keyGiven: false, route));
        }
        else if (!keys.TryGet(id, out key))
        {
            throw Refuse(new UnknownKeyException(keyGiven: true, route));
        }

        route.Policy = key;
        if (route.RequestedModel is { } model && !key.Models.Allows(model))
        {
            throw Refuse(new ModelNotAllowedException(model, ReasonCodes.ModelNotAllowed, route));
        }

        if (key.Pii is { } policy && PiiRequest.Scan(messages, options, policy, _logger) is { } pii)
        {
            route.PiiFindings = pii.Counts;
            if (_logger.IsEnabled(LogLevel.Debug))
            {
                RouterLog.PiiFound(_logger, ModelNames.Printable(route.RequestedModel), string.Join(", ", pii.Counts.Keys));
            }

            if ((pii.Found & policy.BlockEverywhere) != 0)
            {
                throw Refuse(new PolicyViolationException(pii.Counts, "anywhere", route));
            }

            route.Pii = pii;
        }

        route.Gates = route.Gates.With(KeyPolicyGate.Instance);
    }

    private LlmRouterException Refuse(LlmRouterException refusal)
    {
        RouterLog.Refused(_logger, ModelNames.Printable(refusal.Route?.RequestedModel), refusal.ReasonCode);
        return refusal;
    }

    /// <summary>
    /// A stream through the key policy. The request is admitted when the first update is asked for, as an async iterator
    /// would: a refusal is thrown from there, where the layer that owns the request records it. Then the provider's
    /// updates pass through as they are — no frame of this layer per update — unless the key's PII policy restores
    /// values in the answer.
    /// </summary>
    /// <remarks>The first enumerator is the stream itself (one object per request); a second enumeration, as with an iterator, is a new request.</remarks>
    private sealed class GuardedStream(KeyPolicyChatClient layer, IEnumerable<ChatMessage> messages, RouterChatOptions options, CancellationToken cancellationToken)
        : IAsyncEnumerable<ChatResponseUpdate>, IAsyncEnumerator<ChatResponseUpdate>
    {
        private readonly CancellationToken _requested = cancellationToken;
        private CancellationToken _cancellationToken = cancellationToken;
        private CancellationTokenSource? _linked;
        private IAsyncEnumerator<ChatResponseUpdate>? _updates;
        private int _enumerated;
        private bool _ended;

        public ChatResponseUpdate Current => _updates is { } updates ? updates.Current : default!;

        public IAsyncEnumerator<ChatResponseUpdate> GetAsyncEnumerator(CancellationToken cancellationToken = default)
        {
            GuardedStream stream = Interlocked.Exchange(ref _enumerated, 1) == 0 ? this : new GuardedStream(layer, messages, options, _requested) { _enumerated = 1 };
            stream.Link(cancellationToken);
            return stream;
        }

        public ValueTask<bool> MoveNextAsync()
        {
            if (_updates is null)
            {
                if (_ended)
                {
                    return new ValueTask<bool>(false);
                }

                try
                {
                    layer.Admit(messages, options);
                }
                catch
                {
                    _ended = true;
                    throw;
                }

                IAsyncEnumerable<ChatResponseUpdate> stream = layer.InnerClient.GetStreamingResponseAsync(messages, options, _cancellationToken);
                if (options.Route.Pii is { Policy.RestoreInResponse: true } pii)
                {
                    stream = RestoreStreamingAsync(stream, pii, options.Route, _cancellationToken);
                }

                _updates = stream.GetAsyncEnumerator(_cancellationToken);
            }

            return _updates.MoveNextAsync();
        }

        public ValueTask DisposeAsync()
        {
            _ended = true;
            IAsyncEnumerator<ChatResponseUpdate>? updates = _updates;
            _updates = null;
            if (updates is null)
            {
                _linked?.Dispose();
                return default;
            }

            ValueTask disposing = updates.DisposeAsync();
            if (disposing.IsCompletedSuccessfully)
            {
                _linked?.Dispose();
                return default;
            }

            return DisposeLinkedAfterAsync(disposing);
        }

        private async ValueTask DisposeLinkedAfterAsync(ValueTask disposing)
        {
            try
            {
                await disposing.ConfigureAwait(false);
            }
            finally
            {
                _linked?.Dispose();
            }
        }

        /// <summary>Cancels the stream by the enumerator's token too, when it is another one (as an iterator's <c>[EnumeratorCancellation]</c> does).</summary>
        private void Link(CancellationToken cancellationToken)
        {
            if (!cancellationToken.CanBeCanceled || cancellationToken == _cancellationToken)
            {
                return;
            }

            if (_cancellationToken.CanBeCanceled)
            {
                _linked = CancellationTokenSource.CreateLinkedTokenSource(_cancellationToken, cancellationToken);
                _cancellationToken = _linked.Token;
            }
            else
            {
                _cancellationToken = cancellationToken;
            }
        }
    }
}
