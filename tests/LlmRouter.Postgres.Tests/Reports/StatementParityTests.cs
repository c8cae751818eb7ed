using LlmRouter.Postgres.Tests.Support;
using LlmRouter.Sqlite;
using LlmRouter.Sqlite.Tests.Audit;
using LlmRouter.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace LlmRouter.Postgres.Tests.Reports;

/// <summary>The same records in both stores give the same statements and CSV exports, to the last decimal, and the rows add up to them.</summary>
[Collection(PostgresCollection.Name)]
public sealed class StatementParityTests(PostgresServer server) : IDisposable
{
    private readonly SqliteAuditFile _file = new();

    public void Dispose() => _file.Dispose();

    [Fact]
    public async Task Both_stores_give_the_same_statements_and_rows_which_add_up_exactly()
    {
        List<AuditRecord> records = StatementSamples.Month(2500, seed: 5);
        await using var sqlite = _file.Store();
        await using var postgres = new PostgresAuditStore(await server.CreateDatabaseAsync("statement"));
        await AuditSamples.WriteAsync(sqlite, records);
        await AuditSamples.WriteAsync(postgres, records);
        var options = new LlmRouterOptions { Budgets = { TimeZone = "Europe/Zurich", Global = new BudgetOptions { Limit = 25m, Period = BudgetPeriod.Daily } } };
        options.Keys["client-chat"] = new KeyOptions { Budget = new BudgetOptions { Limit = 40m, Models = { ["assistant-ch"] = new ModelBudgetOptions { Limit = 0.5m, Period = BudgetPeriod.Weekly } } } };
        options.Tenants["acme"] = new TenantOptions { Budget = new BudgetOptions { Limit = 100m, Period = BudgetPeriod.Monthly } };
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 5, 0, 0, 0, TimeSpan.Zero));

        SpendStatementRequest[] requests =
        [
            SpendStatementRequest.ForMonth(BudgetScope.Key, "client-chat", 2026, 11),
            SpendStatementRequest.ForMonth(BudgetScope.Tenant, "acme", 2026, 11),
            SpendStatementRequest.ForMonth(BudgetScope.Global, null, 2026, 11, TimeZoneInfo.Utc),
            new SpendStatementRequest { Scope = BudgetScope.Key, Name = "back-office", FirstDay = new DateOnly(2026, 11, 3), LastDay = new DateOnly(2026, 11, 17), TimeZone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York") },
        ];

        foreach (SpendStatementRequest request in requests)
        {
            (string sqliteStatement, string sqliteRows, SpendStatement statement) = await ExportAsync(new SpendStatements(sqlite, options, time), request);
            (string postgresStatement, string postgresRows, _) = await ExportAsync(new SpendStatements(postgres, options, time), request);

            Assert.Equal(sqliteStatement, postgresStatement);
            Assert.Equal(sqliteRows, postgresRows);
            StatementChecks.RowsAddUp(statement, Csv.Table(postgresRows));
            Assert.Equal(AuditText.Decimal(statement.Total), AuditText.Decimal(records.Where(r => r.StartedAt >= statement.From && r.StartedAt < statement.To && (request.Scope != BudgetScope.Key || r.Key == request.Name) && (request.Scope != BudgetScope.Tenant || r.Tenant == request.Name)).Sum(r => r.Cost ?? 0m)));
            Assert.Equal(request.Name != "back-office", statement.Budgets.Count > 0);
        }
    }

    private static async Task<(string Statement, string Rows, SpendStatement Value)> ExportAsync(SpendStatements statements, SpendStatementRequest request)
    {
        var rows = new StringWriter();
        SpendStatement statement = await statements.WriteRowsCsvAsync(request, rows);
        var csv = new StringWriter();
        await statement.WriteCsvAsync(csv);
        return (csv.ToString(), rows.ToString(), statement);
    }
}
