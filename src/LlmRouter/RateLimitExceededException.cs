using System.Globalization;

namespace LlmRouter;

/// <summary>
/// A rate limit of the caller's key or of its tenant refused the request. Reason code <c>rate_limited</c>. No provider
/// was called.
/// </summary>
/// <remarks>The message names the scope and the limit, never the key or the tenant.</remarks>
public sealed class RateLimitExceededException : LlmRouterException
{
    internal RateLimitExceededException(RateLimitScope scope, RateLimitKind limit, int permitLimit, TimeSpan? retryAfter, RouteInfo route)
        : base(ReasonCodes.RateLimited, Describe(scope, limit, permitLimit, retryAfter), route)
    {
        Scope = scope;
        Limit = limit;
        RetryAfter = retryAfter;
    }

    /// <summary>Gets whose limit refused the request: the key's or its tenant's.</summary>
    public RateLimitScope Scope { get; }

    /// <summary>Gets which limit refused the request.</summary>
    public RateLimitKind Limit { get; }

    /// <summary>
    /// Gets how long to wait before the same request can pass the limit, or <see langword="null"/> for
    /// <see cref="RateLimitKind.ConcurrentRequests"/>, which frees up when one of the caller's requests ends.
    /// </summary>
    public TimeSpan? RetryAfter { get; }

    /// <inheritdoc/>
    public override bool IsRejection => true;

    private static string Describe(RateLimitScope scope, RateLimitKind limit, int permitLimit, TimeSpan? retryAfter)
    {
        string whose = scope == RateLimitScope.Key ? "the key's" : "the tenant's";
        string what = limit switch
        {
            RateLimitKind.RequestsPerMinute => string.Create(CultureInfo.InvariantCulture, $"{permitLimit} requests per minute"),
            RateLimitKind.TokensPerMinute => string.Create(CultureInfo.InvariantCulture, $"{permitLimit} tokens per minute"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{permitLimit} concurrent requests"),
        };

        return retryAfter is TimeSpan wait
            ? string.Create(CultureInfo.InvariantCulture, $"Rate limit exceeded: {whose} limit of {what}; retry after {wait.TotalSeconds:0.###} s.")
            : $"Rate limit exceeded: {whose} limit of {what}.";
    }
}
