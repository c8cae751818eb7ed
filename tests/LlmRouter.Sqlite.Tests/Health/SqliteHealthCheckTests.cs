using LlmRouter.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LlmRouter.Sqlite.Tests.Health;

/// <summary>LlmRouter's health checks on real SQLite files: one that opens, and one that cannot be opened.</summary>
public sealed class SqliteHealthCheckTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"llmrouter-health-{Guid.NewGuid():N}.db");

    /// <summary>A file in a directory that does not exist: SQLite cannot open or create it.</summary>
    private static string Unreachable => "Data Source=" + Path.Combine(Path.GetTempPath(), $"llmrouter-missing-{Guid.NewGuid():N}", "llmrouter.db");

    [Fact]
    public async Task A_file_that_opens_is_healthy_for_the_audit_log_and_the_budgets()
    {
        await using LlmRouterClient router = StoreHealth.Router(AuditDurability.Synchronous, b => b.AddSqliteStores("Data Source=" + _path));
        await StoreHealth.AskAsync(router);

        HealthReport report = await StoreHealth.CheckAsync(router);

        Assert.True(report.Status == HealthStatus.Healthy, StoreHealth.Text(report));
        Assert.Equal("The budget store answers.", report.Entries[LlmRouterHealthChecksBuilderExtensions.BudgetCheckName].Description);
        Assert.Equal("SqliteBudgetStore", report.Entries[LlmRouterHealthChecksBuilderExtensions.BudgetCheckName].Data["store"]);
        Assert.Equal(0L, report.Entries[LlmRouterHealthChecksBuilderExtensions.AuditCheckName].Data["queued"]);
    }

    [Theory]
    [InlineData(AuditDurability.Buffered, HealthStatus.Degraded)]
    [InlineData(AuditDurability.Synchronous, HealthStatus.Unhealthy)]
    public async Task A_file_that_cannot_be_opened_makes_the_budgets_unhealthy_and_the_audit_log_as_its_durability_says(AuditDurability durability, HealthStatus audit)
    {
        await using LlmRouterClient router = StoreHealth.Router(durability, b => b.AddSqliteStores(Unreachable));

        HealthReport report = await StoreHealth.CheckAsync(router);

        StoreHealth.AssertUnreachable(report, audit, nameof(SqliteException));
    }

    [Fact]
    public async Task The_audit_store_probe_opens_the_file_without_writing_to_it()
    {
        using var store = new SqliteAuditStore("Data Source=" + _path);
        await store.ProbeAsync();
        Assert.Empty(await store.ReadChainsAsync().ToListAsync());

        using var missing = new SqliteAuditStore(Unreachable);
        await Assert.ThrowsAsync<SqliteException>(() => missing.ProbeAsync());
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (string file in new[] { _path, _path + "-wal", _path + "-shm" })
        {
            File.Delete(file);
        }
    }
}
