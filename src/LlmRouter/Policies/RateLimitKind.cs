namespace LlmRouter;

/// <summary>The rate limits of <see cref="RateLimitOptions"/>.</summary>
public enum RateLimitKind
{
    /// <summary><see cref="RateLimitOptions.RequestsPerMinute"/>.</summary>
    RequestsPerMinute,

    /// <summary><see cref="RateLimitOptions.TokensPerMinute"/>.</summary>
    TokensPerMinute,

    /// <summary><see cref="RateLimitOptions.ConcurrentRequests"/>.</summary>
    ConcurrentRequests,
}
