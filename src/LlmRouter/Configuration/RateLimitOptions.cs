using System.ComponentModel.DataAnnotations;

namespace LlmRouter;

/// <summary>Rate limits of a key or a tenant. A limit left unset does not apply.</summary>
/// <remarks>
/// Per-minute limits are token buckets: a full minute's allowance may be used at once, and it refills continuously
/// (<see cref="RequestsPerMinute"/> / 60 each second). Time is read from the router's <see cref="TimeProvider"/>.
/// </remarks>
public sealed class RateLimitOptions
{
    /// <summary>Gets or sets how many requests may start per minute, or <see langword="null"/> for no limit. The default value is <see langword="null"/>.</summary>
    [Range(1, int.MaxValue)]
    public int? RequestsPerMinute { get; set; }

    /// <summary>
    /// Gets or sets how many tokens (prompt and output) may be used per minute, or <see langword="null"/> for no limit.
    /// The default value is <see langword="null"/>.
    /// </summary>
    /// <remarks>
    /// Before the call a request reserves an upper bound of its prompt plus its output cap; after the call the reservation
    /// is corrected to the tokens actually used, giving back what was not used and charging any overrun.
    /// </remarks>
    [Range(1, int.MaxValue)]
    public int? TokensPerMinute { get; set; }

    /// <summary>Gets or sets how many requests may run at the same time, or <see langword="null"/> for no limit. The default value is <see langword="null"/>.</summary>
    /// <remarks>A stream counts until it ends.</remarks>
    [Range(1, int.MaxValue)]
    public int? ConcurrentRequests { get; set; }
}
