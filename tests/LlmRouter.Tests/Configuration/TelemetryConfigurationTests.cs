using LlmRouter.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LlmRouter.Tests.Configuration;

public sealed class TelemetryConfigurationTests
{
    [Fact]
    public void Key_and_tenant_attributes_are_off_and_budgets_are_refreshed_every_30_seconds_by_default()
    {
        using var router = LlmRouterClient.FromConfiguration(Routers.Section(Routers.MinimalConfiguration()));

        TelemetryOptions telemetry = router.Services.GetRequiredService<IOptions<LlmRouterOptions>>().Value.Telemetry;

        Assert.Equal((false, false, TimeSpan.FromSeconds(30)), (telemetry.KeyAttributes, telemetry.TenantAttributes, telemetry.BudgetRefreshInterval));
        Assert.Equal(TelemetryOptions.DefaultBudgetRefreshInterval, telemetry.BudgetRefreshInterval);
    }

    [Fact]
    public void The_Telemetry_section_binds()
    {
        var values = Routers.MinimalConfiguration();
        values["LlmRouter:Telemetry:KeyAttributes"] = "true";
        values["LlmRouter:Telemetry:TenantAttributes"] = "true";
        values["LlmRouter:Telemetry:BudgetRefreshInterval"] = "00:02:00";
        using var router = LlmRouterClient.FromConfiguration(Routers.Section(values));

        TelemetryOptions telemetry = router.Services.GetRequiredService<IOptions<LlmRouterOptions>>().Value.Telemetry;

        Assert.Equal((true, true, TimeSpan.FromMinutes(2)), (telemetry.KeyAttributes, telemetry.TenantAttributes, telemetry.BudgetRefreshInterval));
    }

    [Fact]
    public void Every_telemetry_mistake_is_reported_with_its_path()
    {
        var values = Routers.MinimalConfiguration();
        values["LlmRouter:Telemetry:BudgetRefreshInterval"] = "00:00:00.500";
        values["LlmRouter:Telemetry:KeyAttribute"] = "true";

        var exception = Assert.Throws<OptionsValidationException>(() => LlmRouterClient.FromConfiguration(Routers.Section(values)));

        Assert.Contains("LlmRouter:Telemetry:BudgetRefreshInterval: must be from 00:00:01 to 01:00:00, not 00:00:00.5000000", exception.Failures);
        Assert.Contains("LlmRouter:Telemetry:KeyAttribute: unknown setting 'KeyAttribute'", exception.Failures);
        Assert.Equal(2, exception.Failures.Count());
    }
}
