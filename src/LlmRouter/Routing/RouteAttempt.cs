namespace LlmRouter;

/// <summary>One deployment (or alias) considered for a request: called, or skipped with a reason.</summary>
/// <remarks>Instances are written by LlmRouter while the request runs and are read-only for callers afterwards.</remarks>
public sealed class RouteAttempt
{
    // A failure's details, apart: most attempts succeed or are skipped, and then cost no room for them.
    private AttemptFailure? _failure;

    // A decimal? would take 24 bytes and a TimeSpan? 16: their flags pack with the other flags instead.
    private decimal _cost;
    private bool _hasCost;
    private TimeSpan _timeToFirstToken;
    private bool _hasTimeToFirstToken;

    // In UTC, as a DateTime: a DateTimeOffset would take 16 bytes for the same instant.
    private readonly DateTime _startedAt;

    // A byte, set only by LlmRouter to one of the enum's few values: with the flags it keeps the attempt within 144 bytes.
    private byte _outcome;

    internal RouteAttempt(string model, Deployment? deployment, DateTimeOffset startedAt)
    {
        Model = model;
        Deployment = deployment;
        _startedAt = startedAt.UtcDateTime;
    }

    /// <summary>Gets the alias this attempt served.</summary>
    public string Model { get; }

    /// <summary>Gets the provider's name, or <see langword="null"/> when a whole alias was skipped.</summary>
    public string? Provider => Deployment?.Provider;

    /// <summary>Gets the model id sent to the provider, or <see langword="null"/> when a whole alias was skipped.</summary>
    public string? ProviderModel => Deployment?.ProviderModel;

    /// <summary>Gets the provider's region, or <see langword="null"/> when a whole alias was skipped.</summary>
    public string? Region => Deployment?.Region;

    /// <summary>Gets what happened.</summary>
    public AttemptOutcome Outcome
    {
        get => (AttemptOutcome)_outcome;
        internal set => _outcome = (byte)value;
    }

    /// <summary>Gets why the deployment was skipped (one of <see cref="SkipReasons"/>), when <see cref="Outcome"/> is <see cref="AttemptOutcome.Skipped"/>.</summary>
    public string? SkipReason { get; internal set; }

    /// <summary>Gets how the call failed, when <see cref="Outcome"/> is <see cref="AttemptOutcome.Failed"/>.</summary>
    public ErrorClass ErrorClass
    {
        get => _failure?.ErrorClass ?? ErrorClass.None;
        internal set => Failure.ErrorClass = value;
    }

    /// <summary>Gets the provider's HTTP status, when the failure had one.</summary>
    public int? StatusCode
    {
        get => _failure?.StatusCode;
        internal set => Failure.StatusCode = value;
    }

    /// <summary>Gets the provider's error message with secrets redacted, when the call failed.</summary>
    public string? Error
    {
        get => _failure?.Error;
        internal set => Failure.Error = value;
    }

    /// <summary>Gets the wait the provider asked for (Retry-After), when it sent one.</summary>
    public TimeSpan? RetryAfter
    {
        get => _failure?.RetryAfter;
        internal set => Failure.RetryAfter = value;
    }

    /// <summary>Gets whether a streamed attempt had already passed output to the caller when it ended.</summary>
    public bool OutputStarted { get; internal set; }

    /// <summary>Gets when the attempt started (or was skipped).</summary>
    public DateTimeOffset StartedAt => new(_startedAt);

    /// <summary>Gets how long the call took; zero for a skipped deployment.</summary>
    public TimeSpan Duration { get; internal set; }

    /// <summary>Gets the time from the start of the attempt to its first streamed update, for a stream.</summary>
    public TimeSpan? TimeToFirstToken
    {
        get => _hasTimeToFirstToken ? _timeToFirstToken : null;
        internal set
        {
            _timeToFirstToken = value.GetValueOrDefault();
            _hasTimeToFirstToken = value.HasValue;
        }
    }

    /// <summary>Gets the tokens this attempt used, as far as they are known.</summary>
    public TokenUsage Tokens { get; internal set; }

    /// <summary>Gets whether <see cref="Tokens"/> was estimated by LlmRouter rather than reported by the provider.</summary>
    public bool TokensEstimated { get; internal set; }

    /// <summary>
    /// Gets whether the tokens LlmRouter counted for this attempt are an approximation: counted with a tokenizer that is
    /// not the model's own (<c>o200k_base</c> standing in for Claude, Gemini, Mistral…). <see langword="false"/> when
    /// nothing was counted (<see cref="TokensEstimated"/> is <see langword="false"/>) or the count is exact (OpenAI models).
    /// </summary>
    public bool TokensApproximate { get; internal set; }

    /// <summary>
    /// Gets the cost of this attempt in USD, exact (not rounded): <see cref="Tokens"/> at <see cref="Price"/>. Zero for an
    /// attempt that used no tokens; <see langword="null"/> when it used tokens but <see cref="PriceUnknown"/>.
    /// </summary>
    public decimal? Cost
    {
        get => _hasCost ? _cost : null;
        internal set
        {
            _cost = value.GetValueOrDefault();
            _hasCost = value.HasValue;
        }
    }

    /// <summary>Gets the prices the attempt was charged at (unit prices, tiers, source and catalog version), or <see langword="null"/> when the deployment has none.</summary>
    public ModelPrice? Price { get; internal set; }

    /// <summary>Gets whether the attempt used tokens on a deployment without a known price, so it has no <see cref="Cost"/>.</summary>
    public bool PriceUnknown { get; internal set; }

    /// <summary>Gets the deployment, or <see langword="null"/> when a whole alias was skipped.</summary>
    public Deployment? Deployment { get; }

    private AttemptFailure Failure => _failure ??= new AttemptFailure();

    /// <inheritdoc/>
    public override string ToString() =>
        Outcome == AttemptOutcome.Skipped ? $"{Model} via {Deployment?.Id ?? "-"}: skipped ({SkipReason})" :
        Outcome == AttemptOutcome.Failed ? $"{Model} via {Deployment?.Id}: failed ({ErrorClass}{(StatusCode is int s ? " " + s : string.Empty)}) in {Duration.TotalMilliseconds:0.#} ms" :
        $"{Model} via {Deployment?.Id}: {Outcome} in {Duration.TotalMilliseconds:0.#} ms";
}
