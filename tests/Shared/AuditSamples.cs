using Microsoft.Extensions.Logging.Abstractions;

namespace LlmRouter.Tests.Support;

/// <summary>
/// Audit records for the store specifications: one with every field set (odd text included), and deterministic mixed
/// sets for queries — keys, tenants, models, providers, statuses and days varied, costs with many decimals. Shared by
/// the SQLite and PostgreSQL test projects (linked), so both stores are specified with the same data.
/// </summary>
internal static class AuditSamples
{
    public static readonly DateTimeOffset Start = new(2026, 3, 27, 21, 30, 0, TimeSpan.Zero);

    private static readonly string?[] Keys = ["client-chat", "client-batch", null];
    private static readonly string?[] Tenants = ["acme", "globex", null];
    private static readonly (string Requested, string? Served, string? Provider)[] Models =
    [
        ("assistant", "assistant", "mistral"),
        ("assistant", "assistant-ch", "infomaniak"),
        ("summarizer", "summarizer", "openai"),
        ("gpt-9", null, null),
    ];

    private static readonly PriceRates Rates = new() { InputPerMillion = 2.5m, CachedInputPerMillion = 1.25m, CacheWritePerMillion = 3.125m, OutputPerMillion = 10m, ReasoningPerMillion = 10m };

    /// <summary>A record with every field set, text with non-ASCII letters, line breaks, quotes and a NUL (cleaned as the audit layer cleans it).</summary>
    public static AuditRecord Full() => new()
    {
        Id = Guid.Parse("019a7b2c-1d2e-7f00-8abc-0123456789ab"),
        StartedAt = new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero).AddTicks(1234560),
        CompletedAt = new DateTimeOffset(2026, 11, 25, 9, 0, 2, TimeSpan.Zero).AddTicks(1234560 + 5000000),
        Duration = TimeSpan.FromTicks(25000000),
        TimeToFirstToken = TimeSpan.FromTicks(3500010),
        Streaming = true,
        Key = "client-chat",
        Tenant = "acme",
        User = "zoë@acme.example",
        Tags = ["invoice", "q3 \"closing\"", "naïve\nline"],
        RequestedModel = "assistant",
        ServedModel = "assistant-ch",
        Provider = "infomaniak",
        ProviderModel = "mistral-large-2411",
        Region = "ch",
        Status = RouteStatus.Served,
        ErrorClass = null,
        Attempts =
        [
            new AuditAttempt
            {
                Model = "assistant", Provider = "mistral", ProviderModel = "mistral-large-latest", Region = "eu", Outcome = AttemptOutcome.Failed,
                ErrorClass = ErrorClass.RateLimited, StatusCode = 429, Error = "Rate limit reached for requests", RetryAfter = TimeSpan.FromMilliseconds(1500),
                StartedAt = new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero).AddTicks(1234560), Duration = TimeSpan.FromMilliseconds(120),
                Tokens = default, Cost = 0m, Prices = Rates, PriceSource = "catalog 2026-07-24+1751ec00: mistral/mistral-large-latest", CatalogVersion = "2026-07-24+1751ec00",
            },
            new AuditAttempt { Model = "assistant-eu", Outcome = AttemptOutcome.Skipped, SkipReason = SkipReasons.Cooldown, StartedAt = new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero).AddTicks(2234560) },
            new AuditAttempt
            {
                Model = "assistant-ch", Provider = "infomaniak", ProviderModel = "mistral-large-2411", Region = "ch", Outcome = AttemptOutcome.Succeeded, OutputStarted = true,
                StartedAt = new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero).AddTicks(3234560), Duration = TimeSpan.FromTicks(23000000), TimeToFirstToken = TimeSpan.FromTicks(2500000),
                Tokens = new TokenUsage { InputTokens = 1200, CachedInputTokens = 800, CacheWriteTokens = 64, OutputTokens = 350, ReasoningTokens = 40 },
                TokensEstimated = true, Cost = 0.0085225m, Prices = Rates, PriceSource = "configuration: LlmRouter:Prices:mistral-large-2411",
            },
        ],
        Tokens = new TokenUsage { InputTokens = 1200, CachedInputTokens = 800, CacheWriteTokens = 64, OutputTokens = 350, ReasoningTokens = 40 },
        TokensEstimated = true,
        Cost = 0.0085225m,
        PriceUnknown = false,
        Prices = Rates,
        PriceSource = "configuration: LlmRouter:Prices:mistral-large-2411",
        CatalogVersion = null,
        PiiFindings = new Dictionary<string, int> { ["phone"] = 1, ["email"] = 2 },
        ContentMode = AuditContentMode.Redacted,
        RequestContent = AuditText.Clean("user: Grüezi! Mail [EMAIL] about the \"Q3\" VAT\u0000 return.\nThanks"),
        ResponseContent = "assistant: Done — 3 lines. 日本語 ok 🎉",
        ContentTruncated = true,
    };

    /// <summary>A deterministic mixed set: <paramref name="count"/> records over about three days from <see cref="Start"/>.</summary>
    public static List<AuditRecord> Mixed(int count, int seed = 42)
    {
        var random = new Random(seed);
        var records = new List<AuditRecord>(count);
        for (int i = 0; i < count; i++)
        {
            (string requested, string? served, string? provider) = Models[random.Next(Models.Length)];
            RouteStatus status = served is null ? RouteStatus.Rejected : (RouteStatus)(1 + (random.Next(10) switch { < 7 => 0, 7 or 8 => 2, _ => 3 }));
            bool priced = served is not null && random.Next(20) != 0;
            var tokens = served is null ? default : new TokenUsage { InputTokens = random.Next(1, 5000), CachedInputTokens = random.Next(0, 300), OutputTokens = random.Next(0, 900), ReasoningTokens = random.Next(0, 50) };
            DateTimeOffset started = Start.AddSeconds(random.Next(0, 3 * 24 * 3600)).AddTicks(random.Next(0, 10_000_000) / 10 * 10);
            TimeSpan duration = TimeSpan.FromMilliseconds(random.Next(5, 4000));
            decimal? cost = served is null ? null : priced ? Rates.Cost(tokens) + (random.Next(1000) / 1_000_000_000_000m) : null;
            records.Add(new AuditRecord
            {
                Id = Guid.CreateVersion7(started),
                StartedAt = started,
                CompletedAt = started + duration,
                Duration = duration,
                Key = Keys[random.Next(Keys.Length)],
                Tenant = Tenants[random.Next(Tenants.Length)],
                RequestedModel = requested,
                ServedModel = status == RouteStatus.Served ? served : null,
                Provider = status == RouteStatus.Served ? provider : null,
                ProviderModel = status == RouteStatus.Served ? provider + "-model" : null,
                Region = status == RouteStatus.Served ? "eu" : null,
                Status = status,
                ReasonCode = status switch { RouteStatus.Rejected => ReasonCodes.UnknownModel, RouteStatus.Failed => ReasonCodes.AllDeploymentsFailed, RouteStatus.Cancelled => ReasonCodes.Cancelled, _ => null },
                Tokens = tokens,
                TokensEstimated = random.Next(8) == 0,
                Cost = cost,
                PriceUnknown = served is not null && !priced,
                Prices = priced ? Rates : null,
                Attempts = served is null ? [] : [new AuditAttempt { Model = requested, Provider = provider, Outcome = AttemptOutcome.Succeeded, StartedAt = started, Duration = duration, Tokens = tokens, Cost = cost, Prices = priced ? Rates : null }],
            });
        }

        return records;
    }

    /// <summary><paramref name="count"/> served records that all started at the same instant (so only their ids order them), with ids out of write order and unique to the instant.</summary>
    public static List<AuditRecord> SameInstant(DateTimeOffset started, int count)
    {
        var records = new List<AuditRecord>(count);
        for (int i = 0; i < count; i++)
        {
            records.Add(new AuditRecord
            {
                Id = Guid.Parse($"019a{started.UtcTicks % 0x10000:x4}-0000-7000-8000-{(count - i) * 7919:x12}"),
                StartedAt = started,
                CompletedAt = started.AddMilliseconds(10),
                Duration = TimeSpan.FromMilliseconds(10),
                Key = "client-chat",
                Tenant = "acme",
                RequestedModel = "assistant",
                ServedModel = "assistant",
                Provider = "mistral",
                Status = RouteStatus.Served,
                Tokens = new TokenUsage { InputTokens = 10 + i, OutputTokens = 3 },
                Cost = Rates.Cost(new TokenUsage { InputTokens = 10 + i, OutputTokens = 3 }),
                Prices = Rates,
                Attempts = [new AuditAttempt { Model = "assistant", Provider = "mistral", Outcome = AttemptOutcome.Succeeded, StartedAt = started, Duration = TimeSpan.FromMilliseconds(10), Tokens = new TokenUsage { InputTokens = 10 + i, OutputTokens = 3 }, Cost = Rates.Cost(new TokenUsage { InputTokens = 10 + i, OutputTokens = 3 }), Prices = Rates }],
            });
        }

        return records;
    }

    /// <summary>What <see cref="IAuditQuery.ReadAsync"/> must return for these records: those that started in [from, to), of the key and tenant when given, by start then id.</summary>
    public static List<AuditRecord> InRange(IEnumerable<AuditRecord> records, DateTimeOffset from, DateTimeOffset to, string? key = null, string? tenant = null) =>
        [.. records
            .Where(r => r.StartedAt >= from && r.StartedAt < to && (key is null || r.Key == key) && (tenant is null || r.Tenant == tenant))
            .OrderBy(r => r.StartedAt)
            .ThenBy(r => r.Id.ToString("D"), StringComparer.Ordinal)];

    /// <summary>Writes records through a real audit writer (one chain, batches of <paramref name="batchSize"/>), and waits until they are stored.</summary>
    public static async Task<Guid> WriteAsync(IAuditStore store, IEnumerable<AuditRecord> records, int batchSize = 500)
    {
        var time = TimeProvider.System;
        await using var writer = new AuditWriter(store, new AuditOptions { FlushInterval = TimeSpan.Zero, BatchSize = batchSize, QueueCapacity = 1_000_000 }, time, NullLogger.Instance, new AuditWriterStatistics());
        foreach (AuditRecord record in records)
        {
            var route = new RouteInfo(time, streaming: false, record.RequestedModel);
            await writer.SubmitAsync(record, await writer.AdmitAsync(route, CancellationToken.None), route);
        }

        await writer.FlushAsync();
        if (writer.Statistics.Written != writer.Statistics.Enqueued)
        {
            throw new InvalidOperationException("The store did not take every record: " + writer.Statistics);
        }

        return writer.ChainId;
    }

    /// <summary>The record's own fields, serialized as hashed but outside any chain: equal for the same request written by two writers.</summary>
    public static string Fields(AuditRecord record) =>
        System.Text.Encoding.UTF8.GetString(new AuditHasher().Canonical(record, Guid.Empty, 0, AuditText.ZeroHash));

    /// <summary>The record's canonical serialization, as hashed: equal for two records exactly when every stored field is.</summary>
    public static string Canonical(AuditRecord record) =>
        System.Text.Encoding.UTF8.GetString(new AuditHasher().Canonical(record, record.ChainId, record.Sequence, record.PreviousHash));
}
