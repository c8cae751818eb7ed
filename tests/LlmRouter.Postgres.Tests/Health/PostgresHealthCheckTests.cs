using System.Net;
using System.Net.Sockets;
using LlmRouter.Postgres.Tests.Support;
using LlmRouter.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace LlmRouter.Postgres.Tests.Health;

/// <summary>LlmRouter's health checks on PostgreSQL: a real server, and a server behind a closed port.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresHealthCheckTests(PostgresServer server)
{
    private const string Password = "pg-health-s3cret-7731";

    /// <summary>A connection string with a password, to a loopback port nothing listens on.</summary>
    private static string ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return $"Host=127.0.0.1;Port={port};Username=llmrouter;Password={Password};Database=llmrouter;Timeout=5";
    }

    [Fact]
    public async Task A_running_server_is_healthy_for_the_audit_log_and_the_budgets()
    {
        string connectionString = await server.CreateDatabaseAsync("health");
        await using LlmRouterClient router = StoreHealth.Router(AuditDurability.Synchronous, b => b.AddPostgresStores(connectionString));
        await StoreHealth.AskAsync(router);

        HealthReport report = await StoreHealth.CheckAsync(router);

        Assert.True(report.Status == HealthStatus.Healthy, StoreHealth.Text(report));
        Assert.Equal("PostgresBudgetStore", report.Entries[LlmRouterHealthChecksBuilderExtensions.BudgetCheckName].Data["store"]);
    }

    [Theory]
    [InlineData(AuditDurability.Buffered, HealthStatus.Degraded)]
    [InlineData(AuditDurability.Synchronous, HealthStatus.Unhealthy)]
    public async Task A_server_behind_a_closed_port_makes_the_budgets_unhealthy_and_the_report_never_shows_the_connection_string(AuditDurability durability, HealthStatus audit)
    {
        await using LlmRouterClient router = StoreHealth.Router(durability, b => b.AddPostgresStores(ClosedPort()));

        HealthReport report = await StoreHealth.CheckAsync(router);

        StoreHealth.AssertUnreachable(report, audit, nameof(NpgsqlException), Password);
    }

    [Fact]
    public async Task The_audit_store_probe_fails_with_the_clients_exception_and_never_the_password()
    {
        await using var store = new PostgresAuditStore(ClosedPort());

        NpgsqlException failure = await Assert.ThrowsAsync<NpgsqlException>(() => store.ProbeAsync());

        Assert.DoesNotContain(Password, failure.ToString(), StringComparison.Ordinal);
    }
}
