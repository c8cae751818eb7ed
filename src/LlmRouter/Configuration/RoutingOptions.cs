using System.ComponentModel.DataAnnotations;

namespace LlmRouter;

/// <summary>How LlmRouter picks a deployment, when it cools one down, and how far it falls back.</summary>
public sealed class RoutingOptions
{
    /// <summary>The default number of failures within <see cref="FailureWindow"/> that cool a deployment down: 3.</summary>
    public const int DefaultAllowedFailures = 3;

    /// <summary>The default maximum number of fallback hops from one alias to another in one request: 4.</summary>
    public const int DefaultMaxFallbackHops = 4;

    /// <summary>The default cooldown: thirty seconds.</summary>
    public static readonly TimeSpan DefaultCooldown = TimeSpan.FromSeconds(30);

    /// <summary>The default failure window: one minute.</summary>
    public static readonly TimeSpan DefaultFailureWindow = TimeSpan.FromMinutes(1);

    /// <summary>The default time a stream may take to send its first update: five minutes, for models that reason before they answer.</summary>
    public static readonly TimeSpan DefaultStreamFirstTokenTimeout = TimeSpan.FromMinutes(5);

    /// <summary>The default time a stream may stay silent between two updates after its first: one minute.</summary>
    public static readonly TimeSpan DefaultStreamIdleTimeout = TimeSpan.FromMinutes(1);

    /// <summary>The default time a whole stream may take: ten minutes.</summary>
    public static readonly TimeSpan DefaultStreamTotalTimeout = TimeSpan.FromMinutes(10);

    /// <summary>Gets or sets the strategy that picks among an alias's healthy deployments: <c>Weighted</c>, <c>LeastBusy</c>, <c>LowestLatency</c>, <c>LowestCost</c>, or the name of a strategy registered in code. The default value is <c>Weighted</c>.</summary>
    public string Strategy { get; set; } = RoutingStrategies.Weighted;

    /// <summary>Gets or sets how many failures within <see cref="FailureWindow"/> cool a deployment down. The default value is <see cref="DefaultAllowedFailures"/>.</summary>
    /// <remarks>A rate-limit answer (429) cools the deployment down at once, for its <c>Retry-After</c> when given.</remarks>
    [Range(1, 1000)]
    public int AllowedFailures { get; set; } = DefaultAllowedFailures;

    /// <summary>Gets or sets the window in which failures are counted. The default value is <see cref="DefaultFailureWindow"/>.</summary>
    public TimeSpan FailureWindow { get; set; } = DefaultFailureWindow;

    /// <summary>Gets or sets how long a cooled-down deployment is skipped. The default value is <see cref="DefaultCooldown"/>.</summary>
    public TimeSpan Cooldown { get; set; } = DefaultCooldown;

    /// <summary>Gets or sets the aliases tried after an alias's own fallbacks, for every alias. The default value is empty.</summary>
    public List<string> DefaultFallbacks { get; set; } = [];

    /// <summary>Gets or sets the maximum number of hops from one alias to another in one request. The default value is <see cref="DefaultMaxFallbackHops"/>.</summary>
    [Range(0, 32)]
    public int MaxFallbackHops { get; set; } = DefaultMaxFallbackHops;

    /// <summary>Gets or sets how long a stream may take to send its first update before it fails as a timeout. The default value is <see cref="DefaultStreamFirstTokenTimeout"/>.</summary>
    /// <remarks>
    /// Models that reason before they answer stay silent far longer before their first token than between two tokens.
    /// A stream that fails before its first update falls back like any other request; <see cref="StreamTotalTimeout"/>
    /// still bounds the whole stream. Greater than zero and at most 24 hours.
    /// </remarks>
    public TimeSpan StreamFirstTokenTimeout { get; set; } = DefaultStreamFirstTokenTimeout;

    /// <summary>Gets or sets how long a stream may stay silent between two updates, after its first, before it fails as a timeout. The default value is <see cref="DefaultStreamIdleTimeout"/>.</summary>
    /// <remarks>Only the provider's silence counts, not the time the caller spends on an update. Greater than zero and at most 24 hours.</remarks>
    public TimeSpan StreamIdleTimeout { get; set; } = DefaultStreamIdleTimeout;

    /// <summary>Gets or sets how long a whole stream may take before it fails as a timeout. The default value is <see cref="DefaultStreamTotalTimeout"/>.</summary>
    public TimeSpan StreamTotalTimeout { get; set; } = DefaultStreamTotalTimeout;

    /// <summary>Gets or sets the seed of the <c>Weighted</c> strategy's random choice, or <see langword="null"/> for a shared random source. The default value is <see langword="null"/>.</summary>
    /// <remarks>A seeded choice is reproducible for one caller at a time; it is meant for tests and simulations.</remarks>
    public int? Seed { get; set; }
}
