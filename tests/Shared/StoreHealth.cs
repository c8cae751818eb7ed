using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LlmRouter.Tests.Support;

/// <summary>
/// A router with a budget on a Simulated provider and LlmRouter's health checks, for the specifications of a store's
/// health — shared by the SQLite and PostgreSQL test projects (linked), so both stores are judged alike.
/// </summary>
internal static class StoreHealth
{
    /// <summary>Builds a router whose stores <paramref name="addStores"/> registers, auditing with the given durability.</summary>
    public static LlmRouterClient Router(AuditDurability durability, Action<LlmRouterBuilder> addStores)
    {
        var options = new LlmRouterOptions();
        options.Providers["local"] = new ProviderOptions { Kind = ProviderKind.Simulated, Region = "eu", OutputTokens = 5 };
        options.Models["chat"] = new ModelOptions { Deployments = [new() { Provider = "local", Model = "sim-chat", PriceAs = "gpt-4o-mini" }] };
        options.Keys["tests"] = new KeyOptions { Models = ["*"], Regions = ["*"] };
        options.AnonymousKey = "tests";
        options.Budgets.Global = new BudgetOptions { Limit = 10m };
        options.Audit.Durability = durability;
        options.Audit.FlushInterval = TimeSpan.Zero;
        options.Audit.ShutdownTimeout = TimeSpan.Zero;
        return LlmRouterClient.Create(options, builder =>
        {
            addStores(builder);
            builder.Services.AddLogging().AddHealthChecks().AddLlmRouterChecks();
        });
    }

    public static Task<ChatResponse> AskAsync(LlmRouterClient router) => router.GetResponseAsync("hi", new ChatOptions { ModelId = "chat" });

    public static Task<HealthReport> CheckAsync(LlmRouterClient router) =>
        router.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

    /// <summary>
    /// Asserts what a report says when the database cannot be reached: the budgets unhealthy, the audit log as its
    /// durability says, each naming the store client's exception — and no connection string anywhere.
    /// </summary>
    public static void AssertUnreachable(HealthReport report, HealthStatus audit, string exceptionType, params string[] secrets)
    {
        HealthReportEntry auditEntry = report.Entries[LlmRouterHealthChecksBuilderExtensions.AuditCheckName];
        HealthReportEntry budgetEntry = report.Entries[LlmRouterHealthChecksBuilderExtensions.BudgetCheckName];
        Assert.Equal(audit, auditEntry.Status);
        Assert.StartsWith($"The audit store cannot be reached ({exceptionType}: ", auditEntry.Description, StringComparison.Ordinal);
        Assert.Equal(HealthStatus.Unhealthy, budgetEntry.Status);
        Assert.StartsWith($"The budget store cannot be reached ({exceptionType}: ", budgetEntry.Description, StringComparison.Ordinal);
        Assert.Equal(HealthStatus.Unhealthy, report.Status);
        string text = Text(report);
        foreach (string secret in secrets.Append("Data Source").Append("Password").Append("Username"))
        {
            Assert.DoesNotContain(secret, text, StringComparison.OrdinalIgnoreCase);
        }
    }

    /// <summary>Everything a health report says, as text: descriptions, data and exceptions.</summary>
    public static string Text(HealthReport report) => string.Join(
        "\n",
        report.Entries.Select(e => $"{e.Key}: {e.Value.Status} {e.Value.Description} {string.Join(";", e.Value.Data.Select(d => d.Key + "=" + Describe(d.Value)))} {e.Value.Exception}"));

    private static string Describe(object value) => value is System.Collections.IEnumerable items and not string ? string.Join(",", items.Cast<object>()) : value.ToString() ?? string.Empty;
}
