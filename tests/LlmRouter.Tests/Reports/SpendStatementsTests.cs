using LlmRouter.Sqlite;
using LlmRouter.Sqlite.Tests.Audit;
using LlmRouter.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace LlmRouter.Tests.Reports;

/// <summary>Monthly statements from a real SQLite audit file.</summary>
public sealed class SpendStatementsTests : IDisposable
{
    private static readonly DateTimeOffset Day = new(2026, 11, 10, 9, 0, 0, TimeSpan.Zero);

    private readonly SqliteAuditFile _file = new();
    private FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 2, 8, 0, 0, TimeSpan.Zero));

    public void Dispose() => _file.Dispose();

    [Fact]
    public async Task A_month_has_a_line_per_served_model_and_price_with_tokens_unit_prices_and_the_exact_amount()
    {
        var tokens = new TokenUsage { InputTokens = 1234, CachedInputTokens = 100, CacheWriteTokens = 7, OutputTokens = 321, ReasoningTokens = 12 };
        SpendStatement statement = await StatementAsync(
            BudgetScope.Key,
            "client-chat",
            StatementSamples.Served(Day, "client-chat", "acme", "assistant", "mistral", tokens, StatementSamples.Large),
            StatementSamples.Served(Day.AddDays(1), "client-chat", "acme", "assistant", "mistral", tokens, StatementSamples.Large),
            StatementSamples.Served(Day.AddDays(2), "client-chat", "acme", "assistant", "mistral", tokens, StatementSamples.LargeRepriced, catalog: "2026-11-15+0badcafe"),
            StatementSamples.Served(Day.AddDays(3), "client-chat", "acme", "summarizer", "openai", tokens, StatementSamples.Small),
            StatementSamples.Served(Day, "client-batch", "acme", "assistant", "mistral", tokens, StatementSamples.Large));

        Assert.Equal(["assistant", "assistant", "summarizer"], statement.Lines.Select(l => l.Model));
        Assert.Equal([1, 2, 3], statement.Lines.Select(l => l.Number));
        SpendStatementLine first = statement.Lines[0];
        Assert.Equal(2, first.Requests);
        Assert.Equal(tokens + tokens, first.Tokens);
        Assert.Equal(StatementSamples.Large, first.Prices);
        Assert.Equal("2026-07-24+1751ec00", first.CatalogVersion);
        Assert.Equal("catalog 2026-07-24+1751ec00: mistral/assistant", first.PriceSource);
        Assert.Equal(2 * StatementSamples.Large.Cost(tokens), first.Amount);
        Assert.Equal("USD", first.Currency);
        Assert.Equal(StatementSamples.LargeRepriced, statement.Lines[1].Prices);
        Assert.Equal("2026-11-15+0badcafe", statement.Lines[1].CatalogVersion);
        Assert.Equal(StatementSamples.LargeRepriced.Cost(tokens), statement.Lines[1].Amount);
        Assert.Equal((3 * StatementSamples.Large.Cost(tokens)) - StatementSamples.Large.Cost(tokens) + StatementSamples.LargeRepriced.Cost(tokens) + StatementSamples.Small.Cost(tokens), statement.Total);
        Assert.Equal(4, statement.Requests);
        Assert.True(statement.IsClosed);
        Assert.True(statement.IsComplete);
    }

    [Fact]
    public async Task The_period_is_the_calendar_month_of_the_time_zone()
    {
        var tokens = new TokenUsage { InputTokens = 1000 };
        SpendStatement statement = await StatementAsync(
            BudgetScope.Tenant,
            "acme",
            StatementSamples.Served(StatementSamples.November.AddTicks(-10), "client-chat", "acme", "assistant", "mistral", tokens, StatementSamples.Large),
            StatementSamples.Served(StatementSamples.November, "client-chat", "acme", "assistant", "mistral", tokens, StatementSamples.Large),
            StatementSamples.Served(StatementSamples.December.AddTicks(-10), "client-batch", "acme", "assistant", "mistral", tokens, StatementSamples.Large),
            StatementSamples.Served(StatementSamples.December, "client-chat", "acme", "assistant", "mistral", tokens, StatementSamples.Large));

        Assert.Equal(StatementSamples.November, statement.From);
        Assert.Equal(StatementSamples.December, statement.To);
        Assert.Equal(new DateOnly(2026, 11, 1), statement.FirstDay);
        Assert.Equal(new DateOnly(2026, 11, 30), statement.LastDay);
        Assert.Equal("Europe/Zurich", statement.TimeZone);
        Assert.Equal(2, Assert.Single(statement.Lines).Requests);
    }

    [Fact]
    public async Task A_request_billed_on_two_deployments_is_on_both_lines_at_the_prices_each_was_charged()
    {
        var failed = new TokenUsage { InputTokens = 4000 };
        var served = new TokenUsage { InputTokens = 4000, OutputTokens = 500 };
        SpendStatement statement = await StatementAsync(BudgetScope.Key, "client-chat", StatementSamples.FallbackBilledTwice(Day, "client-chat", "acme", failed, served));

        Assert.Equal(["assistant", "assistant-ch"], statement.Lines.Select(l => l.Model));
        Assert.Equal(StatementSamples.Large.Cost(failed), statement.Lines[0].Amount);
        Assert.Equal(StatementSamples.Small.Cost(served), statement.Lines[1].Amount);
        Assert.All(statement.Lines, line => Assert.Equal(1, line.Requests));
        Assert.Equal(1, statement.Requests);
        Assert.Equal(StatementSamples.Large.Cost(failed) + StatementSamples.Small.Cost(served), statement.Total);
    }

    [Fact]
    public async Task Refused_requests_are_listed_at_zero_cost_by_requested_model_and_reason()
    {
        SpendStatement statement = await StatementAsync(
            BudgetScope.Key,
            "client-chat",
            StatementSamples.Refused(Day, "client-chat", "acme", "gpt-4o", ReasonCodes.ModelNotAllowed),
            StatementSamples.Refused(Day.AddHours(1), "client-chat", "acme", "gpt-4o", ReasonCodes.ModelNotAllowed),
            StatementSamples.Refused(Day.AddHours(2), "client-chat", "acme", "assistant", ReasonCodes.BudgetExceeded));

        Assert.Empty(statement.Lines);
        Assert.Equal([("assistant", "budget_exceeded", 1L), ("gpt-4o", "model_not_allowed", 2L)], statement.Refusals.Select(r => (r.RequestedModel, r.ReasonCode, r.Requests)));
        Assert.All(statement.Refusals, r => Assert.Equal(0m, r.Amount));
        Assert.Equal(3, statement.RejectedRequests);
        Assert.Equal(0m, statement.Total);
    }

    [Fact]
    public async Task Failed_and_cancelled_requests_the_provider_billed_are_on_the_lines()
    {
        var tokens = new TokenUsage { InputTokens = 2500, OutputTokens = 40 };
        SpendStatement statement = await StatementAsync(
            BudgetScope.Key,
            "client-chat",
            StatementSamples.Unserved(Day, "client-chat", "acme", RouteStatus.Failed, tokens),
            StatementSamples.Unserved(Day, "client-chat", "acme", RouteStatus.Cancelled, default));

        SpendStatementLine line = Assert.Single(statement.Lines);
        Assert.Equal(StatementSamples.Large.Cost(tokens), line.Amount);
        Assert.Equal(1, statement.FailedRequests);
        Assert.Equal(1, statement.CancelledRequests);
        Assert.Equal(1, statement.BilledUnservedRequests);
        Assert.Equal(2, statement.Requests);
    }

    [Fact]
    public async Task Calls_nobody_could_price_are_flagged_never_shown_as_zero()
    {
        var tokens = new TokenUsage { InputTokens = 700, OutputTokens = 70 };
        SpendStatement statement = await StatementAsync(
            BudgetScope.Key,
            "client-chat",
            StatementSamples.Served(Day, "client-chat", "acme", "translator", "custom", tokens, prices: null),
            StatementSamples.Served(Day, "client-chat", "acme", "summarizer", "openai", tokens, StatementSamples.Small));

        SpendStatementLine unpriced = statement.Lines.Single(l => l.Model == "translator");
        Assert.False(unpriced.IsPriced);
        Assert.Null(unpriced.Amount);
        Assert.Null(unpriced.Prices);
        Assert.Equal(tokens, unpriced.Tokens);
        Assert.Equal(1, statement.UnpricedRequests);
        Assert.False(statement.IsComplete);
        Assert.Equal(StatementSamples.Small.Cost(tokens), statement.Total);
    }

    [Fact]
    public async Task A_period_not_yet_over_is_provisional()
    {
        _time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero));

        SpendStatement statement = await StatementAsync(BudgetScope.Key, "client-chat", StatementSamples.Served(Day, "client-chat", "acme", "assistant", "mistral", new TokenUsage { InputTokens = 5 }, StatementSamples.Large));

        Assert.False(statement.IsClosed);
        Assert.True(statement.IsProvisional);
        Assert.Equal(_time.GetUtcNow(), statement.GeneratedAt);
    }

    [Fact]
    public async Task Budgets_are_set_against_the_spend_of_each_of_their_periods_with_the_highest()
    {
        var options = new LlmRouterOptions { Budgets = { TimeZone = "Europe/Zurich" } };
        options.Keys["client-chat"] = new KeyOptions
        {
            Budget = new BudgetOptions { Limit = 50m, Period = BudgetPeriod.Monthly, Models = { ["summarizer"] = new ModelBudgetOptions { Limit = 0.0001m, Period = BudgetPeriod.Daily } } },
        };
        var tokens = new TokenUsage { InputTokens = 1000, OutputTokens = 100 };
        AuditRecord[] records =
        [
            StatementSamples.Served(Day, "client-chat", "acme", "summarizer", "openai", tokens, StatementSamples.Small),
            StatementSamples.Served(Day.AddHours(1), "client-chat", "acme", "summarizer", "openai", tokens, StatementSamples.Small),
            StatementSamples.Served(Day.AddDays(3), "client-chat", "acme", "summarizer", "openai", tokens, StatementSamples.Small),
            StatementSamples.Served(Day.AddDays(3), "client-chat", "acme", "assistant", "mistral", tokens, StatementSamples.Large),
        ];

        SpendStatement statement = await StatementAsync(BudgetScope.Key, "client-chat", options, records);

        Assert.Equal(2, statement.Budgets.Count);
        SpendStatementBudget monthly = statement.Budgets[0];
        Assert.Null(monthly.Model);
        Assert.Equal(BudgetPeriod.Monthly, monthly.Period);
        Assert.Equal(50m, monthly.Limit);
        SpendStatementBudgetWindow month = Assert.Single(monthly.Windows);
        Assert.False(month.IsPartial);
        Assert.Equal(statement.Total, month.Actual);
        Assert.False(monthly.Exceeded);

        SpendStatementBudget daily = statement.Budgets[1];
        Assert.Equal("summarizer", daily.Model);
        Assert.Equal(30, daily.Windows.Count);
        Assert.All(daily.Windows, w => Assert.Equal(TimeSpan.FromDays(1), w.End - w.Start));
        Assert.Equal(2 * StatementSamples.Small.Cost(tokens), daily.Highest);
        Assert.Equal(3 * StatementSamples.Small.Cost(tokens), daily.Actual);
        Assert.True(daily.Exceeded);
    }

    [Fact]
    public async Task A_statement_for_a_key_never_repeats_the_key_in_its_errors()
    {
        await using var store = _file.Store();
        var statements = new SpendStatements(store, (LlmRouterOptions?)null, _time);

        ArgumentException error = await Assert.ThrowsAsync<ArgumentException>(() => statements.GetAsync(new SpendStatementRequest
        {
            Scope = BudgetScope.Key, Name = "sk-secret-key-id", FirstDay = new DateOnly(2026, 11, 30), LastDay = new DateOnly(2026, 11, 1),
        }));

        Assert.DoesNotContain("sk-secret-key-id", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(() => statements.GetAsync(new SpendStatementRequest { Scope = BudgetScope.Key, FirstDay = new DateOnly(2026, 11, 1), LastDay = new DateOnly(2026, 11, 1) }));
    }

    private Task<SpendStatement> StatementAsync(BudgetScope scope, string name, params AuditRecord[] records) =>
        StatementAsync(scope, name, new LlmRouterOptions { Budgets = { TimeZone = "Europe/Zurich" } }, records);

    private async Task<SpendStatement> StatementAsync(BudgetScope scope, string name, LlmRouterOptions options, AuditRecord[] records)
    {
        await using var store = _file.Store();
        await AuditSamples.WriteAsync(store, records);
        return await new SpendStatements(store, options, _time).GetAsync(SpendStatementRequest.ForMonth(scope, name, 2026, 11));
    }
}
