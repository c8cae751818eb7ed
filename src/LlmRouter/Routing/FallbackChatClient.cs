using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace LlmRouter;

/// <summary>
/// The fallback layer: serves the requested alias and, when its deployments fail, walks the alias's fallback chain —
/// <c>Fallbacks</c> for transient failures (rate limit, server error, timeout), <c>ContextWindowFallbacks</c> when the
/// request does not fit, <c>ContentPolicyFallbacks</c> when a content filter refused it, then the default chain —
/// within <see cref="RoutingOptions.MaxFallbackHops"/>.
/// </summary>
/// <remarks>
/// <para>
/// Each alias and each deployment is tried at most once per request. An alias whose deployments are all cooling down
/// (or refused by a gate) is skipped without a call. When nothing was called because the caller's key policy refused
/// every target, the request is refused (<see cref="ModelNotAllowedException"/>, <see cref="PolicyViolationException"/>)
/// rather than failed. Authentication and bad-request errors fail fast. A stream switches
/// deployment only before its first update reached the caller; a failure after that surfaces as a
/// <see cref="ProviderException"/>, never as a silently spliced answer.
/// </para>
/// <para>
/// Microsoft.Extensions.AI's <c>FailoverChatClient</c> has the same commit rule for streams; this layer does not derive
/// from it because it needs per-attempt gates (key policy, budget), a choice of chain by error class, and it must not
/// clone the options and allocate a routing context per request on the hot path.
/// </para>
/// <para>Thread-safe; one instance serves every request.</para>
/// </remarks>
public sealed class FallbackChatClient : DelegatingChatClient
{
    private readonly RoutingTableProvider _tables;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly RouterTelemetry? _telemetry;

    internal FallbackChatClient(IChatClient innerClient, RoutingTableProvider tables, TimeProvider timeProvider, ILogger logger, RouterTelemetry? telemetry)
        : base(innerClient)
    {
        _tables = tables;
        _time = timeProvider;
        _logger = logger;
        _telemetry = telemetry;
    }

    /// <inheritdoc/>
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        RouterRequest.Enter(ref messages, ref options, _time, _telemetry, streaming: false, out bool owner);
        var routed = (RouterChatOptions)options!;
        return owner
            ? RouterRequest.Run(this, messages, routed, static (self, m, o, ct) => self.FallBackAsync(m, o, ct), cancellationToken)
            : FallBackAsync(messages, routed, cancellationToken);
    }

    /// <inheritdoc/>
    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        RouterRequest.Enter(ref messages, ref options, _time, _telemetry, streaming: true, out bool owner);
        var routed = (RouterChatOptions)options!;
        return owner
            ? RouterRequest.StreamAsync(this, messages, routed, static (self, m, o, ct) => self.FallBackStreamingAsync(m, o, ct), cancellationToken)
            : FallBackStreamingAsync(messages, routed, cancellationToken);
    }

    private Task<ChatResponse> FallBackAsync(IEnumerable<ChatMessage> messages, RouterChatOptions options, CancellationToken cancellationToken)
    {
        RouteInfo route = options.Route;
        var plan = new FallbackPlan(RouterRequest.ResolveRequested(route, _tables, _logger), route.Table!.Routing.MaxFallbackHops);
        ModelGroup requested = plan.Requested;
        if (!DeploymentCandidates.Any(requested, route))
        {
            plan.Unavailable(route, requested);
            plan.Next(route);
            return FallBackAsync(messages, options, plan, first: null, cancellationToken);
        }

        // The requested alias is called here, so that a call its deployment completed at once completes without a state machine.
        route.CurrentGroup = requested;
        Task<ChatResponse> first = RouterRequest.Send(InnerClient, messages, options, cancellationToken);
        return first.IsCompletedSuccessfully ? first : FallBackAsync(messages, options, plan, first, cancellationToken);
    }

    /// <summary>Walks the plan from its current alias; <paramref name="first"/> is that alias's call when it was already made.</summary>
    private async Task<ChatResponse> FallBackAsync(IEnumerable<ChatMessage> messages, RouterChatOptions options, FallbackPlan plan, Task<ChatResponse>? first, CancellationToken cancellationToken)
    {
        RouteInfo route = options.Route;
        for (ModelGroup? group = plan.Current; group is not null; group = plan.Next(route))
        {
            Task<ChatResponse> call;
            if (first is not null)
            {
                call = first;
                first = null;
            }
            else if (!DeploymentCandidates.Any(group, route))
            {
                plan.Unavailable(route, group);
                continue;
            }
            else
            {
                route.CurrentGroup = group;
                call = RouterRequest.Send(InnerClient, messages, options, cancellationToken);
            }

            try
            {
                return await call.ConfigureAwait(false);
            }
            catch (ProviderException ex) when (ReferenceEquals(ex.Route, route) && plan.Failed(ex))
            {
                RouterLog.FallingBack(_logger, group.Name, ex.Attempt.Deployment?.Id ?? "-", ex.ErrorClass);
            }
            catch (ProviderException ex) when (ReferenceEquals(ex.Route, route))
            {
                RouterLog.NotRetried(_logger, group.Name, ex.Attempt.Deployment?.Id ?? "-", ex.ErrorClass);
                throw;
            }
            catch (AllDeploymentsFailedException ex) when (ReferenceEquals(ex.Route, route) && ex.Model == group.Name)
            {
                // The alias's last eligible deployment became unavailable between the check and the call.
                plan.Unavailable(route, group);
            }
        }

        throw Exhausted(route, plan);
    }

    private async IAsyncEnumerable<ChatResponseUpdate> FallBackStreamingAsync(IEnumerable<ChatMessage> messages, RouterChatOptions options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        RouteInfo route = options.Route;
        var plan = new FallbackPlan(RouterRequest.ResolveRequested(route, _tables, _logger), route.Table!.Routing.MaxFallbackHops);
        for (ModelGroup? group = plan.Current; group is not null; group = plan.Next(route))
        {
            if (!DeploymentCandidates.Any(group, route))
            {
                plan.Unavailable(route, group);
                continue;
            }

            route.CurrentGroup = group;
            IAsyncEnumerator<ChatResponseUpdate> updates = InnerClient.GetStreamingResponseAsync(messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
            bool hasUpdate;
            try
            {
                hasUpdate = await updates.MoveNextAsync().ConfigureAwait(false);
            }
            catch (ProviderException ex) when (ReferenceEquals(ex.Route, route) && !ex.OutputStarted && plan.Failed(ex))
            {
                await updates.DisposeAsync().ConfigureAwait(false);
                RouterLog.FallingBack(_logger, group.Name, ex.Attempt.Deployment?.Id ?? "-", ex.ErrorClass);
                continue;
            }
            catch (AllDeploymentsFailedException ex) when (ReferenceEquals(ex.Route, route) && ex.Model == group.Name)
            {
                await updates.DisposeAsync().ConfigureAwait(false);
                plan.Unavailable(route, group);
                continue;
            }
            catch (ProviderException ex) when (ReferenceEquals(ex.Route, route))
            {
                await updates.DisposeAsync().ConfigureAwait(false);
                RouterLog.NotRetried(_logger, group.Name, ex.Attempt.Deployment?.Id ?? "-", ex.ErrorClass);
                throw;
            }
            catch
            {
                await updates.DisposeAsync().ConfigureAwait(false);
                throw;
            }

            // The first update reaches the caller: from here on this deployment is committed.
            try
            {
                while (hasUpdate)
                {
                    yield return updates.Current;
                    hasUpdate = await updates.MoveNextAsync().ConfigureAwait(false);
                }
            }
            finally
            {
                await updates.DisposeAsync().ConfigureAwait(false);
            }

            yield break;
        }

        throw Exhausted(route, plan);
    }

    private LlmRouterException Exhausted(RouteInfo route, FallbackPlan plan)
    {
        // Nothing was called because the caller's policy refused every target: that is a refusal, not a failure.
        switch (route.PolicyRefusal())
        {
            case SkipReasons.PolicyViolation:
                RouterLog.Refused(_logger, plan.Requested.Name, ReasonCodes.PolicyViolation);
                return new PolicyViolationException(route.PiiFindings!, "to any region that could serve it", route);
            case { } reason:
                RouterLog.Refused(_logger, plan.Requested.Name, reason);
                return new ModelNotAllowedException(route.RequestedModel, reason, route);
        }

        RouterLog.AllDeploymentsFailed(_logger, plan.Requested.Name, route.Attempts.Count);
        return new AllDeploymentsFailedException(plan.Requested.Name, route, plan.LastFailure);
    }

    /// <summary>
    /// Where the request goes next: the requested alias first, then — depending on how the last attempt failed — more
    /// deployments of the same alias, or the next alias of the general, context-window or content-policy chain.
    /// </summary>
    private struct FallbackPlan
    {
        private readonly int _maxHops;
        private ModelGroup[] _chain;
        private int _next;
        private int _hops;
        private bool _stay;

        public FallbackPlan(ModelGroup requested, int maxHops)
        {
            Requested = requested;
            Current = requested;
            _chain = requested.Fallbacks;
            _maxHops = maxHops;
        }

        public ModelGroup Requested { get; }

        public ModelGroup? Current { get; private set; }

        public ProviderException? LastFailure { get; private set; }

        /// <summary>Takes in a failed attempt; returns whether to go on.</summary>
        public bool Failed(ProviderException failure)
        {
            LastFailure = failure;
            switch (failure.ErrorClass)
            {
                case ErrorClass.Authentication or ErrorClass.BadRequest:
                    return false;
                case ErrorClass.ContextWindowExceeded:
                    // The same alias has the same window: go straight to the aliases meant for bigger requests.
                    SwitchTo(Requested.ContextWindowFallbacks, whenEmptyKeep: true);
                    return true;
                case ErrorClass.ContentFiltered:
                    // A filtered request is not shopped around unless the configuration says where it may go. (Checked
                    // first: an alias without fallbacks of any kind holds the same empty chain in both lists.)
                    if (Requested.ContentPolicyFallbacks.Length == 0)
                    {
                        return false;
                    }

                    if (ReferenceEquals(_chain, Requested.ContentPolicyFallbacks))
                    {
                        return true;
                    }

                    SwitchTo(Requested.ContentPolicyFallbacks, whenEmptyKeep: false);
                    return true;
                default:
                    _stay = true;
                    return true;
            }
        }

        /// <summary>
        /// Takes in an alias none of whose deployments could be called. When some were skipped because the request does
        /// not fit their context window, the request goes on along the context-window chain, as after a provider's
        /// context-window error.
        /// </summary>
        public void Unavailable(RouteInfo route, ModelGroup group)
        {
            IReadOnlyList<RouteAttempt> attempts = route.Attempts;
            for (int i = 0; i < attempts.Count; i++)
            {
                RouteAttempt attempt = attempts[i];
                if (attempt.SkipReason == SkipReasons.ContextWindow && string.Equals(attempt.Model, group.Name, StringComparison.Ordinal))
                {
                    SwitchTo(Requested.ContextWindowFallbacks, whenEmptyKeep: true);
                    return;
                }
            }
        }

        public ModelGroup? Next(RouteInfo route)
        {
            if (_stay)
            {
                _stay = false;
                return Current;
            }

            while (_next < _chain.Length)
            {
                ModelGroup candidate = _chain[_next++];
                if (route.HasVisited(candidate.Name))
                {
                    continue;
                }

                if (++_hops > _maxHops)
                {
                    route.RecordSkip(candidate.Name, null, SkipReasons.HopLimit);
                    break;
                }

                return Current = candidate;
            }

            return Current = null;
        }

        private void SwitchTo(ModelGroup[] chain, bool whenEmptyKeep)
        {
            if (chain.Length == 0 && whenEmptyKeep)
            {
                return;
            }

            if (!ReferenceEquals(_chain, chain))
            {
                _chain = chain;
                _next = 0;
            }
        }
    }
}
