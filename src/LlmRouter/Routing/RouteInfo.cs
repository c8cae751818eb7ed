namespace LlmRouter;

/// <summary>
/// Where one request went and what it cost: the requested and served model, the provider, every attempt (including
/// skipped deployments and why), timings, tokens and cost.
/// </summary>
/// <remarks>
/// <para>
/// One instance exists per request. It is the context the pipeline's layers share while the request runs: outer
/// layers read what inner layers wrote, nothing is recomputed. Get it with
/// <see cref="RouteInfoExtensions.GetRouteInfo(Microsoft.Extensions.AI.ChatResponse)"/> after a call, or from
/// <see cref="LlmRouterException.Route"/> after a refusal or failure.
/// </para>
/// <para>
/// It is written by one request at a time and must be treated as read-only by callers. It holds no secret: no API key,
/// no prompt, and no virtual key id.
/// </para>
/// </remarks>
public sealed class RouteInfo
{
    private readonly RouteAttempts _attempts = new();
    private readonly long _startTimestamp;

    // In UTC, as a DateTime: a DateTimeOffset would take 16 bytes for the same instant.
    private readonly DateTime _startedAt;

    // What most requests never set (the ambient caller, PII, a span, a failure's reason), apart so that they cost no room.
    private RareFields? _rare;

    // A decimal? would take 24 bytes and a TimeSpan? 16: their flags pack with the other flags instead.
    private decimal _budgetReserved;
    private TimeSpan _timeToFirstToken;
    private bool _hasTimeToFirstToken;
    private bool _hasBudgetReserved;

    internal RouteInfo(TimeProvider timeProvider, bool streaming, string? requestedModel)
    {
        TimeProvider = timeProvider;
        _startTimestamp = timeProvider.GetTimestamp();
        DateTimeOffset started = timeProvider.GetUtcNow();
        _startedAt = started.UtcDateTime;
        RequestId = RequestIds.Next(started);
        Streaming = streaming;
        RequestedModel = requestedModel;
    }

    /// <summary>Gets the request's id: time-ordered (UUID version 7), and the id of its audit record.</summary>
    public Guid RequestId { get; }

    /// <summary>Gets when the request started.</summary>
    public DateTimeOffset StartedAt => new(_startedAt);

    /// <summary>Gets whether the request was streamed.</summary>
    public bool Streaming { get; }

    /// <summary>Gets the virtual key the request was made with, once the key policy resolved it.</summary>
    /// <remarks>
    /// The key's configured id, for the application and the audit log only: LlmRouter removes it from the options before
    /// they go further in, and never writes it to a provider request, a log line or a span (metrics carry it only with
    /// <see cref="TelemetryOptions.KeyAttributes"/>).
    /// </remarks>
    public string? Key => Policy?.Id;

    /// <summary>Gets the tenant of <see cref="Key"/>, if it has one.</summary>
    public string? Tenant => Policy?.Tenant?.Id;

    /// <summary>Gets the end user the application named for the request (<c>RouterContext.Begin</c>), if any.</summary>
    public string? User
    {
        get => _rare?.User;
        internal set => RareFor(value)?.User = value;
    }

    /// <summary>Gets the tags the application attached to the request (<c>RouterContext.Begin</c>); empty when none.</summary>
    public IReadOnlyList<string> Tags
    {
        get => _rare?.Tags ?? [];
        internal set => RareFor(value)?.Tags = value;
    }

    /// <summary>Gets what the PII guard found in the request, by kind (for example <c>email</c>: 2), or <see langword="null"/> when it found nothing or did not run.</summary>
    public IReadOnlyDictionary<string, int>? PiiFindings
    {
        get => _rare?.PiiFindings;
        internal set => RareFor(value)?.PiiFindings = value;
    }

    /// <summary>Gets the alias the caller asked for, exactly as given.</summary>
    public string? RequestedModel { get; }

    /// <summary>Gets the alias that served the request (differs from <see cref="RequestedModel"/> after a fallback).</summary>
    public string? ServedModel => Deployment?.Model;

    /// <summary>Gets the name of the provider that served the request.</summary>
    public string? Provider => Deployment?.Provider;

    /// <summary>Gets the model id the serving provider was asked for.</summary>
    public string? ProviderModel => Deployment?.ProviderModel;

    /// <summary>Gets the region where the request was processed.</summary>
    public string? Region => Deployment?.Region;

    /// <summary>
    /// Gets the deployment that served the request, or <see langword="null"/> if none did. A stream's is set from its
    /// first update on, since fallback never switches a stream that has started.
    /// </summary>
    public Deployment? Deployment { get; internal set; }

    /// <summary>Gets every deployment or alias considered, in order: attempts that were made and targets that were skipped.</summary>
    public IReadOnlyList<RouteAttempt> Attempts => _attempts;

    /// <summary>Gets how the request ended.</summary>
    public RouteStatus Status { get; internal set; }

    /// <summary>Gets the stable reason code (see <see cref="ReasonCodes"/>) when the request was rejected, failed or cancelled.</summary>
    public string? ReasonCode
    {
        get => _rare?.ReasonCode;
        internal set => RareFor(value)?.ReasonCode = value;
    }

    /// <summary>Gets how long the whole request took, across every attempt.</summary>
    public TimeSpan Duration { get; internal set; }

    /// <summary>Gets the time from the start of the request to the first streamed update the caller received.</summary>
    public TimeSpan? TimeToFirstToken
    {
        get => _hasTimeToFirstToken ? _timeToFirstToken : null;
        internal set
        {
            _timeToFirstToken = value.GetValueOrDefault();
            _hasTimeToFirstToken = value.HasValue;
        }
    }

    /// <summary>Gets the tokens of the request, summed over its attempts and normalized by kind.</summary>
    public TokenUsage Tokens
    {
        get
        {
            TokenUsage total = default;
            for (int i = 0; i < _attempts.Count; i++)
            {
                if (Ended(_attempts[i]))
                {
                    total += _attempts[i].Tokens;
                }
            }

            return total;
        }
    }

    /// <summary>Gets whether some of <see cref="Tokens"/> were counted by LlmRouter because the provider did not report them.</summary>
    public bool TokensEstimated => AnyEnded(static attempt => attempt.TokensEstimated);

    /// <summary>
    /// Gets whether some of the tokens LlmRouter counted are an approximation — counted with a tokenizer that is not the
    /// model's own (any model but OpenAI's GPT and o-series) — so <see cref="Tokens"/> and <see cref="Cost"/> may be off
    /// by the difference between tokenizers. Implies <see cref="TokensEstimated"/>.
    /// </summary>
    public bool TokensApproximate => AnyEnded(static attempt => attempt.TokensApproximate);

    /// <summary>
    /// Gets the cost of the request in USD, exact (not rounded), summed over its attempts — a failed attempt the provider
    /// billed and the received part of a cancelled stream included — or <see langword="null"/> when no attempt could be
    /// priced. When <see cref="PriceUnknown"/> is set, it covers only the attempts that could.
    /// </summary>
    public decimal? Cost
    {
        get
        {
            decimal? total = null;
            for (int i = 0; i < _attempts.Count; i++)
            {
                if (Ended(_attempts[i]) && _attempts[i].Cost is decimal cost)
                {
                    total = (total ?? 0m) + cost;
                }
            }

            return total;
        }
    }

    /// <summary>
    /// Gets the most the budget layer held for the request at once, in USD: the worst-case cost of the attempt it reserved
    /// for, plus what earlier attempts cost — or <see langword="null"/> when no budget applied or nothing was reserved.
    /// </summary>
    public decimal? BudgetReserved
    {
        get => _hasBudgetReserved ? _budgetReserved : null;
        internal set
        {
            _budgetReserved = value.GetValueOrDefault();
            _hasBudgetReserved = value.HasValue;
        }
    }

    /// <summary>Gets whether some attempt used tokens on a deployment without a known price (see <see cref="PricingOptions.Strict"/>).</summary>
    public bool PriceUnknown => AnyEnded(static attempt => attempt.PriceUnknown);

    /// <summary>Gets the prices of the deployment that served the request, or <see langword="null"/>.</summary>
    public ModelPrice? Price => Deployment?.Price;

    /// <summary>
    /// Gets where the last priced attempt's prices came from: <c>catalog 2026-07-24+1751ec00: gpt-4o</c> (the catalog's
    /// version and entry) or <c>configuration: LlmRouter:Prices:my-finetune</c>.
    /// </summary>
    public string? PriceSource
    {
        get
        {
            for (int i = _attempts.Count - 1; i >= 0; i--)
            {
                RouteAttempt attempt = _attempts[i];
                if (Ended(attempt) && attempt.Price is { } price && !attempt.Tokens.IsEmpty)
                {
                    return price.Describe();
                }
            }

            return null;
        }
    }

    internal TimeProvider TimeProvider { get; }

    /// <summary>Gets or sets the routing table this request runs on, captured once so a reload never changes it mid-request.</summary>
    internal RoutingTable? Table { get; set; }

    /// <summary>Gets or sets the alias group the caller asked for, once resolved.</summary>
    internal ModelGroup? RequestedGroup { get; set; }

    /// <summary>Gets or sets the alias group the fallback layer is trying now.</summary>
    internal ModelGroup? CurrentGroup { get; set; }

    /// <summary>Gets or sets the deployment being called now; the provider dispatcher reads it.</summary>
    internal Deployment? CurrentDeployment { get; set; }

    /// <summary>The gates outer layers put on every deployment the inner layers would try.</summary>
    internal AttemptGates Gates { get; set; } = AttemptGates.None;

    /// <summary>Gets or sets the key the caller set on the request's options (<c>WithRouterKey</c>), taken out of them when the request entered the router.</summary>
    internal string? ExplicitKey { get; set; }

    /// <summary>Gets or sets the ambient caller (<see cref="RouterContext.Current"/>) when the request entered the router.</summary>
    internal RouterContext? Ambient
    {
        get => _rare?.Ambient;
        set => RareFor(value)?.Ambient = value;
    }

    /// <summary>Gets or sets the caller's key policy, once the key policy layer resolved it; <see cref="Key"/> and <see cref="Tenant"/> are read from it.</summary>
    internal KeyPolicy? Policy { get; set; }

    /// <summary>Gets or sets the request's budget reservation, when a budget applies.</summary>
    internal RequestBudget? Budget { get; set; }

    /// <summary>Gets or sets the telemetry of the router that owns the request, which ends its span and counts it on completion.</summary>
    internal RouterTelemetry? Telemetry { get; set; }

    /// <summary>Gets or sets the request's span while it runs, when something listens to LlmRouter's source.</summary>
    internal System.Diagnostics.Activity? Activity
    {
        get => _rare?.Activity;
        set => RareFor(value)?.Activity = value;
    }

    /// <summary>Gets the request's own copy of the options (the routing layer sets the model id on it before each attempt).</summary>
    internal Microsoft.Extensions.AI.ChatOptions? RequestOptions => _options;

    /// <summary>Gets or sets what the PII guard found, when it found something.</summary>
    internal PiiRequest? Pii
    {
        get => _rare?.Pii;
        set => RareFor(value)?.Pii = value;
    }

    /// <summary>Gets or sets the messages to send on the current attempt when a gate replaced them (PII redaction), or <see langword="null"/> for the request's own.</summary>
    internal IList<Microsoft.Extensions.AI.ChatMessage>? AttemptMessages
    {
        get => _rare?.AttemptMessages;
        set => RareFor(value)?.AttemptMessages = value;
    }

    private IEnumerable<Microsoft.Extensions.AI.ChatMessage>? _messages;
    private Microsoft.Extensions.AI.ChatOptions? _options;
    private RequestEstimate? _estimate;

    /// <summary>Gets what the request is expected to use, created on first use and measured only as far as asked.</summary>
    internal RequestEstimate Estimate => _estimate ??= _messages is null
        ? throw new InvalidOperationException("The request's messages are not attached to its route.")
        : new RequestEstimate(this);

    /// <summary>Gets the request's messages until it completes, then <see langword="null"/>.</summary>
    internal IEnumerable<Microsoft.Extensions.AI.ChatMessage>? RequestMessages => _messages;

    /// <summary>Holds the request's messages and options for <see cref="Estimate"/> until the request completes.</summary>
    internal void AttachRequest(IEnumerable<Microsoft.Extensions.AI.ChatMessage> messages, Microsoft.Extensions.AI.ChatOptions options)
    {
        _messages = messages;
        _options = options;
    }

    /// <summary>Lets go of the prompt once the request has completed: the route may live on, attached to the response.</summary>
    internal void ReleaseRequest()
    {
        _messages = null;
        AttemptMessages = null;

        // The PII guard's placeholders map back to personal data: the route may outlive the request, they may not.
        Pii?.Release();
        Pii = null;
    }

    internal TimeSpan Elapsed => TimeProvider.GetElapsedTime(_startTimestamp);

    /// <summary>Gets where to set a rarely set field: created for a value, not for clearing one that was never set.</summary>
    private RareFields? RareFor(object? value) => value is null ? _rare : _rare ??= new RareFields();

    internal RouteAttempt BeginAttempt(Deployment deployment)
    {
        var attempt = new RouteAttempt(deployment.Model, deployment, TimeProvider.GetUtcNow()) { Outcome = AttemptOutcome.Pending };
        _attempts.Add(attempt);
        return attempt;
    }

    internal void RecordSkip(string model, Deployment? deployment, string reason)
    {
        _attempts.Add(new RouteAttempt(model, deployment, TimeProvider.GetUtcNow())
        {
            Outcome = AttemptOutcome.Skipped,
            SkipReason = reason,
        });
    }

    /// <summary>Gets whether the deployment was already called or skipped in this request.</summary>
    internal bool HasConsidered(Deployment deployment)
    {
        for (int i = 0; i < _attempts.Count; i++)
        {
            RouteAttempt attempt = _attempts[i];
            if (ReferenceEquals(attempt.Deployment, deployment))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Gets whether any deployment of the alias was called or skipped in this request.</summary>
    internal bool HasVisited(string model)
    {
        for (int i = 0; i < _attempts.Count; i++)
        {
            RouteAttempt attempt = _attempts[i];
            if (string.Equals(attempt.Model, model, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Gets the reason when the request ended without a call because policy refused every target it had —
    /// <c>model_not_allowed</c>, <c>region_not_allowed</c> or <c>policy_violation</c>, the first one recorded — or
    /// <see langword="null"/> when something was called or skipped for another reason (cooldown, context window…).
    /// </summary>
    internal string? PolicyRefusal()
    {
        string? first = null;
        for (int i = 0; i < _attempts.Count; i++)
        {
            RouteAttempt attempt = _attempts[i];
            if (attempt.Outcome != AttemptOutcome.Skipped)
            {
                return null;
            }

            switch (attempt.SkipReason)
            {
                case SkipReasons.ModelNotAllowed or SkipReasons.RegionNotAllowed or SkipReasons.PolicyViolation:
                    first ??= attempt.SkipReason;
                    break;
                case SkipReasons.HopLimit:
                    break;
                default:
                    return null;
            }
        }

        return first;
    }

    /// <summary>Gets whether any deployment was actually called.</summary>
    internal bool AnyCalled()
    {
        for (int i = 0; i < _attempts.Count; i++)
        {
            RouteAttempt attempt = _attempts[i];
            if (attempt.Outcome != AttemptOutcome.Skipped)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether the attempt's usage counts in the request's totals: it was called and has ended. The totals (tokens, cost,
    /// their flags, the price source) are summed from the attempts when read — one or two, usually — rather than kept
    /// beside them in every route.
    /// </summary>
    private static bool Ended(RouteAttempt attempt) => attempt.Outcome is not AttemptOutcome.Pending and not AttemptOutcome.Skipped;

    private bool AnyEnded(Func<RouteAttempt, bool> flag)
    {
        for (int i = 0; i < _attempts.Count; i++)
        {
            if (Ended(_attempts[i]) && flag(_attempts[i]))
            {
                return true;
            }
        }

        return false;
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"{RequestedModel} -> {ServedModel ?? "-"} via {Deployment?.Id ?? "-"}: {Status}{(ReasonCode is null ? string.Empty : " (" + ReasonCode + ")")}, {_attempts.Count} attempt(s), {Duration.TotalMilliseconds:0.#} ms";

    /// <summary>The fields of a route that most requests never set: allocated by the first one that is.</summary>
    private sealed class RareFields
    {
        public string? User { get; set; }

        public IReadOnlyList<string>? Tags { get; set; }

        public IReadOnlyDictionary<string, int>? PiiFindings { get; set; }

        public string? ReasonCode { get; set; }

        public RouterContext? Ambient { get; set; }

        public System.Diagnostics.Activity? Activity { get; set; }

        public PiiRequest? Pii { get; set; }

        public IList<Microsoft.Extensions.AI.ChatMessage>? AttemptMessages { get; set; }
    }
}
