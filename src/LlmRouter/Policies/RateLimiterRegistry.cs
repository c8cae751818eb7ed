using System.Collections.Concurrent;

namespace LlmRouter;

/// <summary>
/// Holds the rate limiters of every key and tenant, so that a configuration reload keeps the state (tokens used,
/// requests in flight) of those whose limits did not change, and starts afresh those whose limits did.
/// </summary>
internal sealed class RateLimiterRegistry
{
    private readonly ConcurrentDictionary<(RateLimitScope, string), RateLimitBuckets> _buckets = new();
    private readonly TimeProvider _time;

    public RateLimiterRegistry(TimeProvider timeProvider) => _time = timeProvider;

    /// <summary>Gets the limiters of a key or tenant, or <see langword="null"/> when it sets no limit.</summary>
    public RateLimitBuckets? For(RateLimitScope scope, string id, RateLimitOptions? settings)
    {
        if (settings is not { RequestsPerMinute: not null } and not { TokensPerMinute: not null } and not { ConcurrentRequests: not null })
        {
            _buckets.TryRemove((scope, id), out _);
            return null;
        }

        return _buckets.AddOrUpdate(
            (scope, id),
            static (_, state) => new RateLimitBuckets(state.Scope, state.Settings, state.Time),
            static (_, existing, state) => existing.Matches(state.Settings) ? existing : new RateLimitBuckets(state.Scope, state.Settings, state.Time),
            (Scope: scope, Settings: settings, Time: _time));
    }

    /// <summary>Forgets the limiters of keys and tenants no longer configured.</summary>
    public void Retain(LlmRouterOptions options)
    {
        foreach ((RateLimitScope scope, string id) in _buckets.Keys)
        {
            bool configured = scope == RateLimitScope.Key ? options.Keys.ContainsKey(id) : options.Tenants.ContainsKey(id);
            if (!configured)
            {
                _buckets.TryRemove((scope, id), out _);
            }
        }
    }
}
