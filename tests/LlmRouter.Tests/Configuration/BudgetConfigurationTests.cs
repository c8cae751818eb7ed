using System.Text;
using LlmRouter.Tests.Costs;
using LlmRouter.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LlmRouter.Tests.Configuration;

/// <summary>Budgets of keys, tenants and the global scope, and the Budgets settings, are validated at start-up with every error's path.</summary>
public class BudgetConfigurationTests
{
    private const string Valid = """
        {
          "LlmRouter": {
            "Providers": { "local": { "Kind": "Simulated", "Region": "eu" } },
            "Models": {
              "gpt-4o": { "Deployments": [ { "Provider": "local", "Model": "gpt-4o" } ] },
              "gpt-4o-mini": { "Deployments": [ { "Provider": "local", "Model": "gpt-4o-mini" } ] }
            },
            "Budgets": {
              "TimeZone": "Europe/Zurich",
              "Mode": "Lenient",
              "LeaseTime": "00:20:00",
              "Global": { "Limit": 1000, "SoftLimit": 800, "Period": "Monthly" }
            },
            "Keys": {
              "client-chat": {
                "Tenant": "acme", "Models": [ "*" ], "Regions": [ "eu" ],
                "Budget": { "Limit": 50, "SoftLimit": 40, "Period": "Daily", "Models": { "gpt-4o": { "Limit": 5, "SoftLimit": 4 } } }
              },
              "batch": { "Models": [ "*" ], "Regions": [ "eu" ], "Budget": { "Models": { "gpt-4o-mini": { "Limit": 2, "Period": "Total" } } } }
            },
            "Tenants": { "acme": { "Budget": { "Limit": 500, "Period": "Weekly" } } }
          }
        }
        """;

    private static IConfigurationRoot Json(string json) =>
        new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();

    private static IReadOnlyList<string> Errors(Action<IConfigurationRoot> change)
    {
        IConfigurationRoot configuration = Json(Valid);
        change(configuration);
        var exception = Assert.Throws<OptionsValidationException>(() => LlmRouterClient.FromConfiguration(configuration.GetSection("LlmRouter")));
        return [.. exception.Failures];
    }

    [Fact]
    public void Budgets_of_keys_tenants_and_the_global_scope_bind_with_their_settings()
    {
        using var router = LlmRouterClient.FromConfiguration(Json(Valid).GetSection("LlmRouter"));
        LlmRouterOptions options = router.Services.GetRoutingTable().Options;

        BudgetingOptions budgets = options.Budgets;
        Assert.Equal(("Europe/Zurich", BudgetMode.Lenient, TimeSpan.FromMinutes(20)), (budgets.TimeZone, budgets.Mode, budgets.LeaseTime));
        Assert.Equal((1000m, 800m, BudgetPeriod.Monthly), (budgets.Global!.Limit!.Value, budgets.Global.SoftLimit!.Value, budgets.Global.Period));
        BudgetOptions key = options.Keys["client-chat"].Budget!;
        Assert.Equal((50m, 40m, BudgetPeriod.Daily), (key.Limit!.Value, key.SoftLimit!.Value, key.Period));
        Assert.Equal((5m, 4m, (BudgetPeriod?)null), (key.Models["gpt-4o"].Limit!.Value, key.Models["gpt-4o"].SoftLimit!.Value, key.Models["gpt-4o"].Period));
        Assert.Null(options.Keys["batch"].Budget!.Limit);
        Assert.Equal(BudgetPeriod.Weekly, options.Tenants["acme"].Budget!.Period);
    }

    [Fact]
    public void The_defaults_are_UTC_strict_and_a_fifteen_minute_lease()
    {
        var options = new BudgetingOptions();

        Assert.Equal(("UTC", BudgetMode.Strict, TimeSpan.FromMinutes(15), null), (options.TimeZone, options.Mode, options.LeaseTime, options.Global));
    }

    [Fact]
    public void Every_budget_mistake_is_reported_at_once_with_its_path()
    {
        IReadOnlyList<string> errors = Errors(c =>
        {
            c["LlmRouter:Budgets:TimeZone"] = "Europe/Zurch";
            c["LlmRouter:Budgets:Global:SoftLimit"] = "1200";
            c["LlmRouter:Keys:client-chat:Budget:Limit"] = "-5";
            c["LlmRouter:Keys:client-chat:Budget:SoftLimit"] = "-1";
            c["LlmRouter:Keys:client-chat:Budget:Models:gpt-5:Limit"] = "1";
            c["LlmRouter:Tenants:acme:Budget:Limit"] = "2000000000";
            c["LlmRouter:Tenants:acme:Budget:Models:gpt-4o:SoftLimit"] = "1";
        });

        Assert.Equal(
            new[]
            {
                "LlmRouter:Budgets:Global:SoftLimit: must not be more than Limit (1000), not 1200",
                "LlmRouter:Budgets:TimeZone: 'Europe/Zurch' is not an IANA time zone id known on this machine (for example UTC, Europe/Zurich, America/New_York)",
                "LlmRouter:Keys:client-chat:Budget:Limit: must be zero or more, not -5",
                "LlmRouter:Keys:client-chat:Budget:Models:gpt-5: unknown model 'gpt-5'",
                "LlmRouter:Keys:client-chat:Budget:SoftLimit: must be zero or more, not -1",
                "LlmRouter:Tenants:acme:Budget:Limit: must be at most 1,000,000,000 USD, not 2000000000",
                "LlmRouter:Tenants:acme:Budget:Models:gpt-4o:Limit: is required",
            },
            errors.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_budget_needs_a_limit_or_per_model_limits()
    {
        var options = new LlmRouterOptions();
        options.Providers["local"] = Routers.Simulated();
        options.Models["chat"] = Routers.Model(("local", "gpt-4o-mini"));
        options.Keys["batch"] = new KeyOptions { Models = ["*"], Regions = ["*"], Budget = new BudgetOptions { Period = BudgetPeriod.Daily } };
        options.Budgets.Global = new BudgetOptions { Limit = 1m, Models = { ["chat"] = new ModelBudgetOptions { Period = (BudgetPeriod)7 } } };

        var exception = Assert.Throws<OptionsValidationException>(() => Routers.Create(options));

        Assert.Equal(
            new[]
            {
                "LlmRouter:Budgets:Global:Models:chat:Limit: is required",
                "LlmRouter:Budgets:Global:Models:chat:Period: '7' is not a budget period (one of: Daily, Weekly, Monthly, Total)",
                "LlmRouter:Keys:batch:Budget:Limit: is required (or set limits per model under Models)",
            },
            exception.Failures.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("W. Europe Standard Time")]
    [InlineData("CET+1")]
    public void A_time_zone_must_be_an_IANA_id(string zone)
    {
        IReadOnlyList<string> errors = Errors(c => c["LlmRouter:Budgets:TimeZone"] = zone);

        Assert.StartsWith("LlmRouter:Budgets:TimeZone: '" + zone + "' is not an IANA time zone id", Assert.Single(errors), StringComparison.Ordinal);
    }

    [Fact]
    public void The_lease_must_outlast_a_call_when_budgets_are_configured()
    {
        IReadOnlyList<string> errors = Errors(c =>
        {
            c["LlmRouter:Budgets:LeaseTime"] = "00:06:00";
            c["LlmRouter:Providers:local:Timeout"] = "00:07:00";
            c["LlmRouter:Routing:StreamIdleTimeout"] = "00:03:30";
        });

        Assert.Equal(
            new[]
            {
                "LlmRouter:Budgets:LeaseTime: must be at least Providers:local:Timeout (00:07:00), or a call still running could lose its reservation",
                "LlmRouter:Budgets:LeaseTime: must be at least twice Routing:StreamIdleTimeout (00:03:30), or a stream waiting for its next update could lose its reservation",
            },
            errors.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_stream_may_last_longer_than_the_lease_because_it_renews_it()
    {
        IConfigurationRoot configuration = Json(Valid);
        configuration["LlmRouter:Budgets:LeaseTime"] = "00:05:00";
        configuration["LlmRouter:Routing:StreamTotalTimeout"] = "01:00:00";

        using LlmRouterClient router = LlmRouterClient.FromConfiguration(configuration.GetSection("LlmRouter"));

        Assert.Equal(TimeSpan.FromHours(1), router.Services.GetRequiredService<IOptions<LlmRouterOptions>>().Value.Routing.StreamTotalTimeout);
    }

    [Theory]
    [InlineData("-00:00:01")]
    [InlineData("01:00:01")]
    public void The_clock_skew_allowance_is_between_zero_and_an_hour(string skew)
    {
        IReadOnlyList<string> errors = Errors(c => c["LlmRouter:Budgets:MaxClockSkew"] = skew);

        Assert.Equal($"LlmRouter:Budgets:MaxClockSkew: must be between 00:00:00 and 01:00:00, not {skew}", Assert.Single(errors));
    }

    [Fact]
    public void A_short_lease_is_fine_without_budgets_but_never_zero()
    {
        var options = new LlmRouterOptions();
        options.Providers["local"] = Routers.Simulated();
        options.Models["chat"] = Routers.Model(("local", "gpt-4o-mini"));
        options.Budgets.LeaseTime = TimeSpan.FromMinutes(1);
        using (Routers.Create(options))
        {
        }

        options.Budgets.LeaseTime = TimeSpan.Zero;
        var exception = Assert.Throws<OptionsValidationException>(() => Routers.Create(options));
        Assert.Equal("LlmRouter:Budgets:LeaseTime: must be positive, not 00:00:00", Assert.Single(exception.Failures));
    }
}
