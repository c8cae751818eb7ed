namespace LlmRouter;

/// <summary>
/// The audit record of one request — served, refused, failed, streamed or cancelled — with every attempt, the tokens,
/// the cost and the unit prices it was charged at, and its place in a tamper-evident hash chain.
/// </summary>
/// <remarks>
/// <para>
/// LlmRouter builds one per request when the request ends, and its audit writer gives it its place in the writer's
/// chain (<see cref="ChainId"/>, <see cref="Sequence"/>, <see cref="PreviousHash"/>, <see cref="Hash"/>) before it is
/// stored. Stores build records when reading them back. The columns each store keeps, and the exact serialization the
/// hash is computed over, are documented in <c>docs/audit.md</c>.
/// </para>
/// <para>
/// A record never holds a secret: no API key, no Authorization header; error messages are redacted. It holds the text
/// of the request and response only when <see cref="AuditOptions.Content"/> asks for it. Timestamps are UTC and, like
/// durations, kept to the microsecond. Immutable once stored; safe to share between threads.
/// </para>
/// </remarks>
public sealed class AuditRecord
{
    /// <summary>The version of the serialization <see cref="Hash"/> is computed over that this version of LlmRouter writes: 1.</summary>
    public const int CurrentHashVersion = 1;

    private Guid _chainId;
    private long _sequence;
    private string _previousHash = string.Empty;
    private string _hash = string.Empty;
    private PriceRatesBox? _prices;

    // What most records never hold (the caller's user and tags, a failure, PII findings, content), apart so that they
    // cost no room; a decimal? would take 24 bytes and a TimeSpan? 16, so their flags pack with the other flags instead.
    private RareFields? _rare;
    private decimal _cost;
    private bool _hasCost;
    private TimeSpan _timeToFirstToken;
    private bool _hasTimeToFirstToken;

    // In UTC, as DateTimes: a DateTimeOffset would take 16 bytes for the same instant (the hash is computed over UTC).
    private DateTime _startedAt;
    private DateTime _completedAt;

    /// <summary>Gets the request's id (<see cref="RouteInfo.RequestId"/>): a UUID version 7, so ids sort by time.</summary>
    public required Guid Id { get; init; }

    /// <summary>Gets the id of the hash chain the record belongs to: one chain per audit writer (per process).</summary>
    public Guid ChainId { get => _chainId; init => _chainId = value; }

    /// <summary>Gets the record's position in its chain: 1, 2, 3… without gaps.</summary>
    public long Sequence { get => _sequence; init => _sequence = value; }

    /// <summary>Gets the <see cref="Hash"/> of the previous record of the chain, in lowercase hex; 64 zeros for the first.</summary>
    public string PreviousHash { get => _previousHash; init => _previousHash = value; }

    /// <summary>Gets the SHA-256 of the record's canonical serialization (which includes <see cref="PreviousHash"/>), in lowercase hex.</summary>
    public string Hash { get => _hash; init => _hash = value; }

    /// <summary>Gets the version of the serialization <see cref="Hash"/> was computed over. The default value is <see cref="CurrentHashVersion"/>.</summary>
    public int HashVersion { get; init; } = CurrentHashVersion;

    /// <summary>Gets when the request started, in UTC.</summary>
    public DateTimeOffset StartedAt
    {
        get => new(_startedAt, TimeSpan.Zero);
        init => _startedAt = value.UtcDateTime;
    }

    /// <summary>Gets when the request ended, in UTC: <see cref="StartedAt"/> plus <see cref="Duration"/>.</summary>
    public DateTimeOffset CompletedAt
    {
        get => new(_completedAt, TimeSpan.Zero);
        init => _completedAt = value.UtcDateTime;
    }

    /// <summary>Gets how long the whole request took, across every attempt.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>Gets the time from the start of the request to the first streamed update the caller received, for a stream.</summary>
    public TimeSpan? TimeToFirstToken
    {
        get => _hasTimeToFirstToken ? _timeToFirstToken : null;
        init
        {
            _timeToFirstToken = value.GetValueOrDefault();
            _hasTimeToFirstToken = value.HasValue;
        }
    }

    /// <summary>Gets whether the request was streamed.</summary>
    public bool Streaming { get; init; }

    /// <summary>Gets the id of the virtual key the request was made with (never a secret token), if any.</summary>
    public string? Key { get; init; }

    /// <summary>Gets the tenant of <see cref="Key"/>, if any.</summary>
    public string? Tenant { get; init; }

    /// <summary>Gets the end user the application named for the request, if any.</summary>
    public string? User
    {
        get => _rare?.User;
        init => RareFor(value is not null)?.User = value;
    }

    /// <summary>Gets the tags the application attached to the request; empty when none.</summary>
    public IReadOnlyList<string> Tags
    {
        get => _rare?.Tags ?? [];
        init => RareFor(value is { Count: > 0 })?.Tags = value;
    }

    /// <summary>Gets the model (alias) the caller asked for, exactly as given.</summary>
    public string? RequestedModel { get; init; }

    /// <summary>Gets the alias that served the request (differs from <see cref="RequestedModel"/> after a fallback).</summary>
    public string? ServedModel { get; init; }

    /// <summary>Gets the provider that served the request.</summary>
    public string? Provider { get; init; }

    /// <summary>Gets the model id the serving provider was asked for.</summary>
    public string? ProviderModel { get; init; }

    /// <summary>Gets the region where the request was processed, when known.</summary>
    public string? Region { get; init; }

    /// <summary>Gets how the request ended.</summary>
    public RouteStatus Status { get; init; }

    /// <summary>Gets the stable reason code (see <see cref="ReasonCodes"/>) of a request that was refused, failed or cancelled.</summary>
    public string? ReasonCode
    {
        get => _rare?.ReasonCode;
        init => RareFor(value is not null)?.ReasonCode = value;
    }

    /// <summary>Gets how the request's last provider failure was classified, or <see langword="null"/> when no provider call failed.</summary>
    public ErrorClass? ErrorClass
    {
        get => _rare?.ErrorClass;
        init => RareFor(value is not null)?.ErrorClass = value;
    }

    /// <summary>Gets the message of the error the request ended with, secrets redacted, or <see langword="null"/>.</summary>
    public string? ErrorMessage
    {
        get => _rare?.ErrorMessage;
        init => RareFor(value is not null)?.ErrorMessage = value;
    }

    /// <summary>Gets every target considered, in order: attempts made and targets skipped (with the reason).</summary>
    public IReadOnlyList<AuditAttempt> Attempts { get; init; } = [];

    /// <summary>Gets the tokens of the request, summed over its attempts, by kind.</summary>
    public TokenUsage Tokens { get; init; }

    /// <summary>Gets whether some of <see cref="Tokens"/> were counted by LlmRouter because the provider did not report them.</summary>
    public bool TokensEstimated { get; init; }

    /// <summary>Gets the cost in USD, exact (never rounded), summed over the attempts; <see langword="null"/> when no attempt could be priced.</summary>
    public decimal? Cost
    {
        get => _hasCost ? _cost : null;
        init
        {
            _cost = value.GetValueOrDefault();
            _hasCost = value.HasValue;
        }
    }

    /// <summary>Gets whether some attempt used tokens at an unknown price (then <see cref="Cost"/> covers only the others).</summary>
    public bool PriceUnknown { get; init; }

    /// <summary>
    /// Gets the unit prices the request was charged at: those of its last priced attempt that used tokens (the
    /// long-context tier's when one applied), so that a stored cost is never re-priced. Each attempt keeps its own.
    /// </summary>
    public PriceRates? Prices { get => _prices?.Rates; init => _prices = value is { } rates ? new PriceRatesBox(rates) : null; }

    /// <summary>Sets <see cref="Prices"/> to rates shared with the price they came from.</summary>
    internal PriceRatesBox? SharedPrices { init => _prices = value; }

    /// <summary>Gets where <see cref="Prices"/> came from: <c>catalog 2026-07-24+1751ec00: gpt-4o</c> or <c>configuration: LlmRouter:Prices:my-finetune</c>.</summary>
    public string? PriceSource { get; init; }

    /// <summary>Gets the version of the price catalog <see cref="Prices"/> came from (<see cref="PriceCatalog.Version"/>), or <see langword="null"/>.</summary>
    public string? CatalogVersion { get; init; }

    /// <summary>Gets what the PII guard found in the request, by kind, or <see langword="null"/> when it found nothing or did not run.</summary>
    public IReadOnlyDictionary<string, int>? PiiFindings
    {
        get => _rare?.PiiFindings;
        init => RareFor(value is not null)?.PiiFindings = value;
    }

    /// <summary>Gets how the content was recorded.</summary>
    public AuditContentMode ContentMode
    {
        get => _rare?.ContentMode ?? AuditContentMode.None;
        init => RareFor(value != AuditContentMode.None)?.ContentMode = value;
    }

    /// <summary>Gets the request's text as recorded under <see cref="ContentMode"/>, or <see langword="null"/>.</summary>
    public string? RequestContent
    {
        get => _rare?.RequestContent;
        init => RareFor(value is not null)?.RequestContent = value;
    }

    /// <summary>Gets the response's text as recorded under <see cref="ContentMode"/>, or <see langword="null"/>.</summary>
    public string? ResponseContent
    {
        get => _rare?.ResponseContent;
        init => RareFor(value is not null)?.ResponseContent = value;
    }

    /// <summary>Gets whether <see cref="RequestContent"/> or <see cref="ResponseContent"/> was cut at <see cref="AuditOptions.ContentMaxChars"/>.</summary>
    public bool ContentTruncated
    {
        get => _rare?.ContentTruncated ?? false;
        init => RareFor(value)?.ContentTruncated = value;
    }

    /// <summary>Gives the record its place in a chain; done once, by the writer, before the record is stored.</summary>
    internal void Seal(Guid chainId, long sequence, string previousHash, string hash)
    {
        _chainId = chainId;
        _sequence = sequence;
        _previousHash = previousHash;
        _hash = hash;
    }

    /// <summary>Gets where to set a rarely set field: created for a value, not for the default.</summary>
    private RareFields? RareFor(bool value) => value ? _rare ??= new RareFields() : _rare;

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Id} {Status}{(ReasonCode is null ? string.Empty : " (" + ReasonCode + ")")}: {RequestedModel} -> {ServedModel ?? "-"} via {Provider ?? "-"}, chain {ChainId} #{Sequence}";

    /// <summary>The fields of a record that most records never hold: allocated by the first one set.</summary>
    private sealed class RareFields
    {
        public string? User { get; set; }

        public IReadOnlyList<string>? Tags { get; set; }

        public string? ReasonCode { get; set; }

        public ErrorClass? ErrorClass { get; set; }

        public string? ErrorMessage { get; set; }

        public IReadOnlyDictionary<string, int>? PiiFindings { get; set; }

        public AuditContentMode ContentMode { get; set; }

        public string? RequestContent { get; set; }

        public string? ResponseContent { get; set; }

        public bool ContentTruncated { get; set; }
    }
}
