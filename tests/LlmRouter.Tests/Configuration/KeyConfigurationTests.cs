using LlmRouter.Tests.Support;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace LlmRouter.Tests.Configuration;

/// <summary>Keys, tenants and the anonymous key are validated at start-up like the rest: every mistake reported at once, with its path.</summary>
public class KeyConfigurationTests
{
    private const string Valid = """
        {
          "LlmRouter": {
            "Providers": {
              "mistral": { "Kind": "Simulated", "Region": "eu" },
              "swiss":   { "Kind": "Simulated", "Region": "ch" },
              "openai":  { "Kind": "Simulated", "Region": "us" }
            },
            "Models": {
              "mistral-eu-large": { "Deployments": [ { "Provider": "mistral", "Model": "mistral-large-latest" } ] },
              "mistral-eu-small": { "Deployments": [ { "Provider": "mistral", "Model": "mistral-small-latest" } ] },
              "claude-haiku-eu":  { "Deployments": [ { "Provider": "swiss", "Model": "claude-haiku" } ] },
              "gpt-4o":           { "Deployments": [ { "Provider": "openai", "Model": "gpt-4o-2024-08-06" } ] }
            },
            "Keys": {
              "client-chat": {
                "Tenant": "acme",
                "Models": [ "mistral-eu-*", "claude-haiku-eu" ],
                "Regions": [ "eu", "ch" ],
                "RateLimit": { "RequestsPerMinute": 60, "TokensPerMinute": 200000, "ConcurrentRequests": 8 },
                "Budget": { "Limit": 50, "Period": "Monthly" },
                "Pii": { "Default": "Allow", "Regions": { "us": "Redact" }, "Kinds": { "card": "Block" }, "RestoreInResponse": true },
                "Metadata": { "owner": "client-services" }
              },
              "public": { "Models": [ "mistral-eu-small" ], "Regions": [ "*" ] }
            },
            "Tenants": {
              "acme": { "RateLimit": { "RequestsPerMinute": 600 }, "Budget": { "Limit": 500 }, "Pii": { "Default": "Redact" } },
              "globex": {}
            },
            "AnonymousKey": "public"
          }
        }
        """;

    private static IConfigurationRoot Json(string json) =>
        new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();

    private static IReadOnlyList<string> Errors(Action<IConfigurationRoot> change, string json = Valid)
    {
        IConfigurationRoot configuration = Json(json);
        change(configuration);
        var exception = Assert.Throws<OptionsValidationException>(() => LlmRouterClient.FromConfiguration(configuration.GetSection("LlmRouter")));
        return [.. exception.Failures];
    }

    [Fact]
    public void A_configuration_with_keys_tenants_budgets_pii_policies_and_an_anonymous_key_binds_and_starts()
    {
        using var router = LlmRouterClient.FromConfiguration(Json(Valid).GetSection("LlmRouter"));
        LlmRouterOptions options = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions
            .GetRequiredService<IOptionsMonitor<LlmRouterOptions>>(router.Services).CurrentValue;

        KeyOptions key = options.Keys["client-chat"];
        Assert.Equal(("acme", 60, 200_000, 8), (key.Tenant, key.RateLimit!.RequestsPerMinute, key.RateLimit.TokensPerMinute, key.RateLimit.ConcurrentRequests));
        Assert.Equal(["mistral-eu-*", "claude-haiku-eu"], key.Models);
        Assert.Equal((50m, BudgetPeriod.Monthly), (key.Budget!.Limit, key.Budget.Period));
        Assert.Equal((PiiAction.Allow, PiiAction.Redact, PiiAction.Block, true), (key.Pii!.Default, key.Pii.Regions["us"], key.Pii.Kinds["card"], key.Pii.RestoreInResponse));
        Assert.Equal("client-services", key.Metadata["owner"]);
        Assert.Equal(["acme", "globex"], options.Tenants.Keys.Order());
        Assert.Equal("public", options.AnonymousKey);
    }

    [Fact]
    public void Every_mistake_in_keys_and_tenants_is_reported_with_its_path()
    {
        IReadOnlyList<string> errors = Errors(c =>
        {
            c["LlmRouter:Keys:client-chat:Tenant"] = "acme-corp";
            c["LlmRouter:Keys:client-chat:Models:0"] = "mistral-eu-?";
            c["LlmRouter:Keys:client-chat:Models:1"] = "claude-haiku";
            c["LlmRouter:Keys:client-chat:Models:2"] = "";
            c["LlmRouter:Keys:client-chat:Models:3"] = "gemini-*";
            c["LlmRouter:Keys:client-chat:Models:4"] = "mistral-*-large";
            c["LlmRouter:Keys:client-chat:Regions:1"] = "switzerland";
            c["LlmRouter:Keys:client-chat:RateLimit:RequestsPerMinute"] = "0";
            c["LlmRouter:Keys:client-chat:Budget:Limit"] = "-5";
            c["LlmRouter:Keys:client-chat:Pii:Regions:usa"] = "Redact";
            c["LlmRouter:Keys:client-chat:Pii:Kinds:passport"] = "Block";
            c["LlmRouter:Keys:client-chat:Pii:Kinds:email"] = "Allow";
            c["LlmRouter:Tenants:acme:Pii:Regions:*"] = "Block";
            c["LlmRouter:AnonymousKey"] = "guest";
        });

        Assert.Equal(
            new[]
            {
                "LlmRouter:AnonymousKey: names no key under Keys",
                "LlmRouter:Keys:client-chat:Models[0]: 'mistral-eu-?' is not a model pattern (an exact model alias, a prefix ending in '*' (mistral-eu-*), or '*')",
                "LlmRouter:Keys:client-chat:Models[1]: unknown model 'claude-haiku'",
                "LlmRouter:Keys:client-chat:Models[2]: is empty",
                "LlmRouter:Keys:client-chat:Models[3]: 'gemini-*' matches no configured model",
                "LlmRouter:Keys:client-chat:Models[4]: 'mistral-*-large' is not a model pattern (an exact model alias, a prefix ending in '*' (mistral-eu-*), or '*')",
                "LlmRouter:Keys:client-chat:Pii:Kinds:email: must be Redact or Block: a kind's action only makes the region's stricter, so 'Allow' would have no effect",
                "LlmRouter:Keys:client-chat:Pii:Kinds:passport: unknown kind of personal data 'passport' (one of: iban, ahv, card, email, ip, phone)",
                "LlmRouter:Keys:client-chat:Pii:Regions:usa: unknown region 'usa': no provider is in it (known: ch, eu, us)",
                "LlmRouter:Keys:client-chat:RateLimit:RequestsPerMinute: must be between 1 and 2147483647",
                "LlmRouter:Keys:client-chat:Regions[1]: unknown region 'switzerland': no provider is in it (known: ch, eu, us)",
                "LlmRouter:Keys:client-chat:Tenant: unknown tenant 'acme-corp' (declare it under Tenants)",
                "LlmRouter:Keys:client-chat:Budget:Limit: must be zero or more, not -5",
                "LlmRouter:Tenants:acme:Pii:Regions:*: '*' is not a region here; use Default for every region not listed",
            }.Order(StringComparer.Ordinal),
            errors.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Misspelt_key_settings_and_values_that_do_not_convert_are_reported()
    {
        IReadOnlyList<string> errors = Errors(c =>
        {
            c["LlmRouter:Keys:client-chat:Modles:0"] = "gpt-4o";
            c["LlmRouter:Keys:client-chat:Pii:Default"] = "Redcat";
            c["LlmRouter:Tenants:acme:RateLimit:TokensPerMinute"] = "lots";
        });

        Assert.Contains("LlmRouter:Keys:client-chat:Modles: unknown setting 'Modles'", errors);
        Assert.Contains(errors, e => e.StartsWith("LlmRouter:Keys:client-chat:Pii:Default: 'Redcat' is not a valid PiiAction (one of: Allow, Redact, Block)", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("LlmRouter:Tenants:acme:RateLimit:TokensPerMinute: 'lots' is not a valid", StringComparison.Ordinal));
    }

    [Fact]
    public void A_key_that_lists_models_but_no_region_is_an_error_and_one_without_models_is_a_key_that_may_use_nothing()
    {
        IReadOnlyList<string> errors = Errors(
            c => c["LlmRouter:Keys:suspended:Metadata:reason"] = "contract ended",
            Valid.Replace("\"Regions\": [ \"eu\", \"ch\" ],", string.Empty, StringComparison.Ordinal));

        Assert.Equal(["LlmRouter:Keys:client-chat:Regions: the key lists models but no region, so it could reach none: list its regions, or '*' for every region"], errors);
    }

    [Fact]
    public void Options_set_in_code_are_validated_the_same_way()
    {
        var options = new LlmRouterOptions();
        options.Providers["local"] = new ProviderOptions { Kind = ProviderKind.Simulated, Region = "eu" };
        options.Models["fast"] = new ModelOptions { Deployments = [new DeploymentOptions { Provider = "local", Model = "sim" }] };
        options.Keys["k"] = new KeyOptions { Models = ["fast"], Regions = ["us"], RateLimit = new RateLimitOptions { ConcurrentRequests = -1 } };

        var exception = Assert.Throws<OptionsValidationException>(() => LlmRouterClient.Create(Routers.OpenAccess(options)));

        Assert.Contains("LlmRouter:Keys:k:Regions[0]: unknown region 'us': no provider is in it (known: eu)", exception.Failures);
        Assert.Contains(exception.Failures, f => f.StartsWith("LlmRouter:Keys:k:RateLimit:ConcurrentRequests:", StringComparison.Ordinal));
    }
}
