namespace LlmRouter.Tests.Support;

/// <summary>
/// Audit records for statements and reports: a deterministic month of traffic (November 2026, Zurich time, with records
/// just outside it), several keys and tenants, two catalog versions, awkward unit prices, fallbacks billed on two lines,
/// unpriced and estimated calls, refusals, failures and cancellations. Shared by the test projects (linked).
/// </summary>
internal static class StatementSamples
{
    public static readonly TimeZoneInfo Zurich = TimeZoneInfo.FindSystemTimeZoneById("Europe/Zurich");

    /// <summary>The first instant of November 2026 in Zurich: 2026-10-31T23:00Z.</summary>
    public static readonly DateTimeOffset November = new(2026, 10, 31, 23, 0, 0, TimeSpan.Zero);

    /// <summary>The first instant of December 2026 in Zurich: 2026-11-30T23:00Z.</summary>
    public static readonly DateTimeOffset December = new(2026, 11, 30, 23, 0, 0, TimeSpan.Zero);

    public static readonly PriceRates Large = new() { InputPerMillion = 2.5m, CachedInputPerMillion = 0.3125m, CacheWritePerMillion = 3.125m, OutputPerMillion = 10m, ReasoningPerMillion = 10m };

    public static readonly PriceRates LargeRepriced = new() { InputPerMillion = 2.0833333333m, CachedInputPerMillion = 0.2604166667m, CacheWritePerMillion = 2.6041666667m, OutputPerMillion = 8.3333333333m, ReasoningPerMillion = 8.3333333333m };

    public static readonly PriceRates Small = new() { InputPerMillion = 0.0375m, CachedInputPerMillion = 0.01875m, OutputPerMillion = 0.15m, ReasoningPerMillion = 0.15m };

    private static readonly string[] Keys = ["client-chat", "client-batch", "back-office"];

    /// <summary>A month of traffic: <paramref name="count"/> records between 2026-10-31T20:00Z and 2026-12-01T02:00Z.</summary>
    public static List<AuditRecord> Month(int count, int seed = 11)
    {
        var random = new Random(seed);
        var records = new List<AuditRecord>(count);
        DateTimeOffset first = November.AddHours(-3);
        long span = (long)(December.AddHours(3) - first).TotalSeconds;
        for (int i = 0; i < count; i++)
        {
            DateTimeOffset started = first.AddSeconds(random.NextInt64(span)).AddTicks(random.Next(0, 1_000_000) * 10);
            string key = Keys[random.Next(Keys.Length)];
            string tenant = key == "back-office" ? "internal" : "acme";
            records.Add(random.Next(100) switch
            {
                < 8 => Refused(started, key, tenant, random.Next(2) == 0 ? "gpt-4o" : "assistant", random.Next(2) == 0 ? ReasonCodes.ModelNotAllowed : ReasonCodes.BudgetExceeded),
                < 14 => FallbackBilledTwice(started, key, tenant, Tokens(random), Tokens(random)),
                < 17 => Served(started, key, tenant, "translator", "custom", Tokens(random), prices: null),
                < 20 => Unserved(started, key, tenant, RouteStatus.Failed, Tokens(random)),
                < 22 => Unserved(started, key, tenant, RouteStatus.Cancelled, default),
                < 45 => Served(started, key, tenant, "summarizer", "openai", Tokens(random), Small, estimated: random.Next(5) == 0),
                < 60 => Served(started, key, tenant, "assistant", "mistral", Tokens(random), LargeRepriced, catalog: "2026-11-15+0badcafe"),
                _ => Served(started, key, tenant, "assistant", "mistral", Tokens(random), Large),
            });
        }

        return records;
    }

    public static TokenUsage Tokens(Random random) => new()
    {
        InputTokens = random.Next(1, 9000),
        CachedInputTokens = random.Next(0, 3) == 0 ? random.Next(1, 2048) : 0,
        CacheWriteTokens = random.Next(0, 7) == 0 ? random.Next(1, 512) : 0,
        OutputTokens = random.Next(0, 1500),
        ReasoningTokens = random.Next(0, 4) == 0 ? random.Next(1, 700) : 0,
    };

    public static AuditRecord Served(DateTimeOffset started, string key, string tenant, string model, string provider, TokenUsage tokens, PriceRates? prices, string catalog = "2026-07-24+1751ec00", bool estimated = false, bool streaming = false)
    {
        AuditAttempt attempt = Attempt(started, model, provider, AttemptOutcome.Succeeded, tokens, prices, catalog, estimated);
        return Record(started, key, tenant, model, model, provider, RouteStatus.Served, null, [attempt], streaming);
    }

    public static AuditRecord Refused(DateTimeOffset started, string key, string tenant, string model, string reason) =>
        Record(started, key, tenant, model, null, null, RouteStatus.Rejected, reason, [], streaming: false);

    /// <summary>A request whose first deployment failed after the provider billed its prompt, served by the fallback at other prices.</summary>
    public static AuditRecord FallbackBilledTwice(DateTimeOffset started, string key, string tenant, TokenUsage failed, TokenUsage served)
    {
        AuditAttempt first = Attempt(started, "assistant", "mistral", AttemptOutcome.Failed, failed with { OutputTokens = 0, ReasoningTokens = 0 }, Large, "2026-07-24+1751ec00", false);
        AuditAttempt second = Attempt(started.AddMilliseconds(700), "assistant-ch", "infomaniak", AttemptOutcome.Succeeded, served, Small, null, false);
        return Record(started, key, tenant, "assistant", "assistant-ch", "infomaniak", RouteStatus.Served, null, [first, second], streaming: true);
    }

    public static AuditRecord Unserved(DateTimeOffset started, string key, string tenant, RouteStatus status, TokenUsage tokens)
    {
        AuditAttempt attempt = Attempt(started, "assistant", "mistral", status == RouteStatus.Failed ? AttemptOutcome.Failed : AttemptOutcome.Cancelled, tokens, Large, "2026-07-24+1751ec00", false);
        return Record(started, key, tenant, "assistant", null, null, status, status == RouteStatus.Failed ? ReasonCodes.ProviderError : ReasonCodes.Cancelled, [attempt], streaming: true);
    }

    private static AuditAttempt Attempt(DateTimeOffset started, string model, string provider, AttemptOutcome outcome, TokenUsage tokens, PriceRates? prices, string? catalog, bool estimated) => new()
    {
        Model = model,
        Provider = provider,
        ProviderModel = provider + "-" + model,
        Region = "eu",
        Outcome = outcome,
        ErrorClass = outcome == AttemptOutcome.Failed ? ErrorClass.ServerError : ErrorClass.None,
        StartedAt = started,
        Duration = TimeSpan.FromMilliseconds(100 + (tokens.OutputTokens % 900)),
        TimeToFirstToken = TimeSpan.FromMilliseconds(40 + (tokens.InputTokens % 300)),
        Tokens = tokens,
        TokensEstimated = estimated,
        Cost = prices?.Cost(tokens),
        PriceUnknown = prices is null && !tokens.IsEmpty,
        Prices = prices,
        PriceSource = prices is null ? null : catalog is null ? "configuration: LlmRouter:Prices:" + model : $"catalog {catalog}: {provider}/{model}",
        CatalogVersion = prices is null ? null : catalog,
    };

    private static AuditRecord Record(DateTimeOffset started, string key, string tenant, string requested, string? served, string? provider, RouteStatus status, string? reason, AuditAttempt[] attempts, bool streaming)
    {
        TokenUsage tokens = default;
        decimal? cost = null;
        bool unknown = false;
        bool estimated = false;
        AuditAttempt? priced = null;
        TimeSpan duration = TimeSpan.FromMilliseconds(2);
        foreach (AuditAttempt attempt in attempts)
        {
            tokens += attempt.Tokens;
            unknown |= attempt.PriceUnknown;
            estimated |= attempt.TokensEstimated;
            cost = attempt.Cost is decimal c ? (cost ?? 0m) + c : cost;
            priced = attempt.Cost is not null && !attempt.Tokens.IsEmpty ? attempt : priced;
            duration = attempt.StartedAt - started + attempt.Duration;
        }

        AuditAttempt? last = attempts.Length == 0 ? null : attempts[^1];
        return new AuditRecord
        {
            Id = Guid.CreateVersion7(started),
            StartedAt = started,
            CompletedAt = started + duration,
            Duration = duration,
            TimeToFirstToken = streaming && status == RouteStatus.Served ? last!.StartedAt - started + last.TimeToFirstToken : null,
            Streaming = streaming,
            Key = key,
            Tenant = tenant,
            User = key == "client-chat" ? "=HYPERLINK(\"http://x\",\"zoë, \"\"the\"\" user\")" : "ops@example.ch",
            RequestedModel = requested,
            ServedModel = served,
            Provider = provider,
            ProviderModel = provider is null ? null : provider + "-" + served,
            Region = provider is null ? null : "eu",
            Status = status,
            ReasonCode = reason,
            ErrorClass = status == RouteStatus.Failed ? ErrorClass.ServerError : null,
            Attempts = attempts,
            Tokens = tokens,
            TokensEstimated = estimated,
            Cost = cost,
            PriceUnknown = unknown,
            Prices = priced?.Prices,
            PriceSource = priced?.PriceSource,
            CatalogVersion = priced?.CatalogVersion,
        };
    }
}
