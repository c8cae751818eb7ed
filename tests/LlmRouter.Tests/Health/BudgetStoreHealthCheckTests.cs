using LlmRouter.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LlmRouter.Tests.Health;

/// <summary>The budget store's health check: unhealthy when budgets are configured and the store cannot be reached.</summary>
public sealed class BudgetStoreHealthCheckTests
{
    private const string Name = LlmRouterHealthChecksBuilderExtensions.BudgetCheckName;

    private static LlmRouterOptions Options(bool budgeted)
    {
        var options = new LlmRouterOptions();
        options.Providers["local"] = Routers.Simulated("eu");
        options.Models["chat"] = new ModelOptions { Deployments = [new() { Provider = "local", Model = "sim-chat", PriceAs = "gpt-4o-mini" }] };
        if (budgeted)
        {
            options.Budgets.Global = new BudgetOptions { Limit = 10m };
        }

        return options;
    }

    [Fact]
    public async Task The_in_memory_store_always_answers()
    {
        await using LlmRouterClient router = Routers.Create(Options(budgeted: true), configure: b => b.WithHealthChecks());

        HealthReportEntry entry = await HealthChecks.CheckAsync(router.Services, Name);

        Assert.Equal((HealthStatus.Healthy, "The budget store answers."), (entry.Status, entry.Description));
        Assert.Equal("InMemoryBudgetStore", entry.Data["store"]);
    }

    [Fact]
    public async Task A_store_that_cannot_be_reached_is_unhealthy_when_budgets_are_configured()
    {
        await using LlmRouterClient router = Routers.Create(Options(budgeted: true), configure: b => b.WithHealthChecks().Services.AddSingleton<IBudgetStore>(new UnreachableBudgetStore()));

        HealthReportEntry entry = await HealthChecks.CheckAsync(router.Services, Name);

        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.Equal("The budget store cannot be reached (IOException: Connection refused): requests with a budget are refused with budget_unavailable.", entry.Description);
        Assert.Null(entry.Exception);
    }

    [Fact]
    public async Task Without_a_budget_the_store_is_not_probed()
    {
        var store = new UnreachableBudgetStore();
        await using LlmRouterClient router = Routers.Create(Options(budgeted: false), configure: b => b.WithHealthChecks().Services.AddSingleton<IBudgetStore>(store));

        HealthReportEntry entry = await HealthChecks.CheckAsync(router.Services, Name);

        Assert.Equal((HealthStatus.Healthy, "No budget is configured."), (entry.Status, entry.Description));
        Assert.Equal(0, store.Probes);
    }
}
