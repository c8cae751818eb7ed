using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace LlmRouter;

/// <summary>
/// The rate-limit layer: requests per minute, tokens per minute and concurrent requests, per virtual key and per
/// tenant, checked before any provider is called (<see cref="RateLimitExceededException"/> with a retry-after).
/// </summary>
/// <remarks>
/// <para>
/// A request takes a concurrency slot and one request from its key's and its tenant's limiters, and reserves tokens:
/// an upper bound of its prompt (its UTF-8 size) plus the largest output cap of the requested alias. When the call ends
/// — served, failed, cancelled, or a stream read to its end or abandoned — the reservation is corrected to the tokens
/// the route recorded: what was not used is given back, an overrun is charged. A refused request keeps nothing.
/// </para>
/// <para>
/// It reads the key the key policy layer resolved, so it belongs inside that layer; requests without a key (no key
/// configured) are not limited. Limits run on the router's <see cref="TimeProvider"/>. Thread-safe.
/// </para>
/// </remarks>
public sealed class RateLimitingChatClient : DelegatingChatClient
{
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly RouterTelemetry? _telemetry;

    internal RateLimitingChatClient(IChatClient innerClient, TimeProvider timeProvider, ILogger logger, RouterTelemetry? telemetry)
        : base(innerClient)
    {
        _telemetry = telemetry;
        _time = timeProvider;
        _logger = logger;
    }

    /// <inheritdoc/>
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        RouterRequest.Enter(ref messages, ref options, _time, _telemetry, streaming: false, out bool owner);
        var routed = (RouterChatOptions)options!;
        return owner
            ? RouterRequest.Run(this, messages, routed, static (self, m, o, ct) => self.LimitAsync(m, o, ct), cancellationToken)
            : LimitAsync(messages, routed, cancellationToken);
    }

    /// <inheritdoc/>
    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        RouterRequest.Enter(ref messages, ref options, _time, _telemetry, streaming: true, out bool owner);
        var routed = (RouterChatOptions)options!;
        return owner
            ? RouterRequest.StreamAsync(this, messages, routed, static (self, m, o, ct) => self.LimitStreamingAsync(m, o, ct), cancellationToken)
            : LimitStreamingAsync(messages, routed, cancellationToken);
    }

    /// <remarks>A refusal is thrown synchronously; the layer that owns the request (or the caller's <c>await</c>) records it.</remarks>
    private Task<ChatResponse> LimitAsync(IEnumerable<ChatMessage> messages, RouterChatOptions options, CancellationToken cancellationToken)
    {
        RouteInfo route = options.Route;
        if (Acquire(route) is not { } reservation)
        {
            return InnerClient.GetResponseAsync(messages, options, cancellationToken);
        }

        Task<ChatResponse> pending = RouterRequest.Send(InnerClient, messages, options, cancellationToken);
        if (!pending.IsCompleted)
        {
            return SettleAsync(pending, route, reservation);
        }

        reservation.Settle(route.Tokens.TotalTokens);
        return pending;
    }

    private static async Task<ChatResponse> SettleAsync(Task<ChatResponse> pending, RouteInfo route, RateLimitReservation reservation)
    {
        try
        {
            return await pending.ConfigureAwait(false);
        }
        finally
        {
            reservation.Settle(route.Tokens.TotalTokens);
        }
    }

    private async IAsyncEnumerable<ChatResponseUpdate> LimitStreamingAsync(IEnumerable<ChatMessage> messages, RouterChatOptions options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        RouteInfo route = options.Route;
        RateLimitReservation? acquired = Acquire(route);
        IAsyncEnumerator<ChatResponseUpdate>? updates = null;
        try
        {
            updates = InnerClient.GetStreamingResponseAsync(messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
            while (await updates.MoveNextAsync().ConfigureAwait(false))
            {
                yield return updates.Current;
            }
        }
        finally
        {
            // Disposing the inner stream ends its attempt, which records the tokens it used.
            if (updates is not null)
            {
                await updates.DisposeAsync().ConfigureAwait(false);
            }

            if (acquired is { } reservation)
            {
                reservation.Settle(route.Tokens.TotalTokens);
            }
        }
    }

    private RateLimitReservation? Acquire(RouteInfo route)
    {
        if (route.Policy is not { } key)
        {
            return null;
        }

        try
        {
            return RateLimitReservation.Acquire(key, route);
        }
        catch (RateLimitExceededException refusal)
        {
            string model = ModelNames.Printable(route.RequestedModel);
            RouterLog.RateLimited(_logger, model, refusal.Scope, refusal.Limit, refusal.RetryAfter);
            RouterLog.Refused(_logger, model, ReasonCodes.RateLimited);
            throw;
        }
    }
}
