namespace LlmRouter;

/// <summary>
/// One deployment (or alias) considered for an audited request, as stored: called, or skipped with the reason. The
/// stored form of a <see cref="RouteAttempt"/>.
/// </summary>
/// <remarks>Immutable once built. Timestamps and durations are kept to the microsecond, as the stores keep them.</remarks>
public sealed class AuditAttempt
{
    private PriceRatesBox? _prices;

    // A failure's details, apart: most attempts succeed or are skipped, and then cost no room for them. A decimal? would
    // take 24 bytes and a TimeSpan? 16, so their flags pack with the other flags instead.
    private AttemptFailure? _failure;
    private decimal _cost;
    private bool _hasCost;
    private TimeSpan _timeToFirstToken;
    private bool _hasTimeToFirstToken;

    // In UTC, as DateTimes: a DateTimeOffset would take 16 bytes for the same instant (the hash is computed over UTC).
    private DateTime _startedAt;

    /// <summary>Gets the alias the attempt served.</summary>
    public required string Model { get; init; }

    /// <summary>Gets the provider's name, or <see langword="null"/> when a whole alias was skipped.</summary>
    public string? Provider { get; init; }

    /// <summary>Gets the model id sent to the provider, or <see langword="null"/> when a whole alias was skipped.</summary>
    public string? ProviderModel { get; init; }

    /// <summary>Gets the provider's region, or <see langword="null"/> when a whole alias was skipped or the region is not known.</summary>
    public string? Region { get; init; }

    /// <summary>Gets what happened.</summary>
    public AttemptOutcome Outcome { get; init; }

    /// <summary>Gets why the target was skipped (one of <see cref="SkipReasons"/>), when <see cref="Outcome"/> is <see cref="AttemptOutcome.Skipped"/>.</summary>
    public string? SkipReason { get; init; }

    /// <summary>Gets how the call failed, or <see cref="ErrorClass.None"/>.</summary>
    public ErrorClass ErrorClass
    {
        get => _failure?.ErrorClass ?? ErrorClass.None;
        init => FailureFor(value != ErrorClass.None)?.ErrorClass = value;
    }

    /// <summary>Gets the provider's HTTP status, when the failure had one.</summary>
    public int? StatusCode
    {
        get => _failure?.StatusCode;
        init => FailureFor(value is not null)?.StatusCode = value;
    }

    /// <summary>Gets the provider's error message with secrets redacted, when the call failed.</summary>
    public string? Error
    {
        get => _failure?.Error;
        init => FailureFor(value is not null)?.Error = value;
    }

    /// <summary>Gets the wait the provider asked for (Retry-After), when it sent one.</summary>
    public TimeSpan? RetryAfter
    {
        get => _failure?.RetryAfter;
        init => FailureFor(value is not null)?.RetryAfter = value;
    }

    /// <summary>Gets whether a streamed attempt had passed output to the caller when it ended.</summary>
    public bool OutputStarted { get; init; }

    /// <summary>Gets when the attempt started (or was skipped), in UTC.</summary>
    public DateTimeOffset StartedAt
    {
        get => new(_startedAt, TimeSpan.Zero);
        init => _startedAt = value.UtcDateTime;
    }

    /// <summary>Gets how long the call took; zero for a skipped target.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>Gets the time from the start of the attempt to its first streamed update, for a stream.</summary>
    public TimeSpan? TimeToFirstToken
    {
        get => _hasTimeToFirstToken ? _timeToFirstToken : null;
        init
        {
            _timeToFirstToken = value.GetValueOrDefault();
            _hasTimeToFirstToken = value.HasValue;
        }
    }

    /// <summary>Gets the tokens the attempt used, by kind.</summary>
    public TokenUsage Tokens { get; init; }

    /// <summary>Gets whether <see cref="Tokens"/> were counted by LlmRouter because the provider did not report them.</summary>
    public bool TokensEstimated { get; init; }

    /// <summary>Gets the attempt's cost in USD, exact; <see langword="null"/> when it used tokens at an unknown price.</summary>
    public decimal? Cost
    {
        get => _hasCost ? _cost : null;
        init
        {
            _cost = value.GetValueOrDefault();
            _hasCost = value.HasValue;
        }
    }

    /// <summary>Gets whether the attempt used tokens on a deployment without a known price.</summary>
    public bool PriceUnknown { get; init; }

    /// <summary>Gets the unit prices the attempt was charged at (the long-context tier's when one applied), or <see langword="null"/> when the deployment has none.</summary>
    public PriceRates? Prices { get => _prices?.Rates; init => _prices = value is { } rates ? new PriceRatesBox(rates) : null; }

    /// <summary>Sets <see cref="Prices"/> to rates shared with the price they came from.</summary>
    internal PriceRatesBox? SharedPrices { init => _prices = value; }

    /// <summary>Gets where <see cref="Prices"/> came from: <c>catalog 2026-07-24+1751ec00: gpt-4o</c> or <c>configuration: LlmRouter:Prices:my-finetune</c>.</summary>
    public string? PriceSource { get; init; }

    /// <summary>Gets the version of the price catalog <see cref="Prices"/> came from, or <see langword="null"/> for a configuration price.</summary>
    public string? CatalogVersion { get; init; }

    /// <summary>Gets where to set a failure's detail: created for a value, not for the default.</summary>
    private AttemptFailure? FailureFor(bool value) => value ? _failure ??= new AttemptFailure() : _failure;
}
