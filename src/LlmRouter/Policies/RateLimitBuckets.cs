using System.Threading.RateLimiting;

namespace LlmRouter;

/// <summary>
/// The rate limiters of one key or one tenant: requests and tokens per minute (<see cref="RefundableTokenBucket"/>s on
/// the router's clock) and concurrent requests (a <see cref="ConcurrencyLimiter"/> that does not queue).
/// </summary>
/// <remarks>Created once per key or tenant and kept across configuration reloads while its settings stay the same. Thread-safe.</remarks>
internal sealed class RateLimitBuckets
{
    public RateLimitBuckets(RateLimitScope scope, RateLimitOptions settings, TimeProvider timeProvider)
    {
        Scope = scope;
        RequestsPerMinute = settings.RequestsPerMinute;
        TokensPerMinute = settings.TokensPerMinute;
        ConcurrentRequests = settings.ConcurrentRequests;
        Requests = settings.RequestsPerMinute is int rpm ? new RefundableTokenBucket(rpm, TimeSpan.FromMinutes(1), timeProvider) : null;
        Tokens = settings.TokensPerMinute is int tpm ? new RefundableTokenBucket(tpm, TimeSpan.FromMinutes(1), timeProvider) : null;
        Concurrency = settings.ConcurrentRequests is int concurrent
            ? new ConcurrencyLimiter(new ConcurrencyLimiterOptions { PermitLimit = concurrent, QueueLimit = 0 })
            : null;
    }

    public RateLimitScope Scope { get; }

    public int? RequestsPerMinute { get; }

    public int? TokensPerMinute { get; }

    public int? ConcurrentRequests { get; }

    public RefundableTokenBucket? Requests { get; }

    public RefundableTokenBucket? Tokens { get; }

    public ConcurrencyLimiter? Concurrency { get; }

    /// <summary>Gets whether these limiters were built from the same settings, so they can be kept across a reload.</summary>
    public bool Matches(RateLimitOptions settings) =>
        RequestsPerMinute == settings.RequestsPerMinute && TokensPerMinute == settings.TokensPerMinute && ConcurrentRequests == settings.ConcurrentRequests;
}
