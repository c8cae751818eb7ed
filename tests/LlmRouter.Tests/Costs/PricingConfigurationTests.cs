using LlmRouter.Tests.Support;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace LlmRouter.Tests.Costs;

/// <summary>Prices, token limits and strict mode from configuration, and how each deployment's price is resolved once.</summary>
public class PricingConfigurationTests
{
    private static Deployment DeploymentOf(LlmRouterClient router, string alias, int index = 0) =>
        router.Services.GetRoutingTable().Models[alias].Deployments[index];

    [Fact]
    public void A_price_in_configuration_replaces_the_catalog_s_by_deployment_then_alias_then_model_id()
    {
        var options = new LlmRouterOptions();
        options.Providers["a"] = PricingFixtures.Simulated();
        options.Providers["b"] = PricingFixtures.Simulated();
        options.Models["chat"] = new ModelOptions { Deployments = [new DeploymentOptions { Provider = "a", Model = "gpt-4o" }, new DeploymentOptions { Provider = "b", Model = "gpt-4o" }] };
        options.Models["other"] = new ModelOptions { Deployments = [new DeploymentOptions { Provider = "a", Model = "gpt-4o" }] };
        options.Models["third"] = new ModelOptions { Deployments = [new DeploymentOptions { Provider = "b", Model = "gpt-4o-mini" }] };
        options.Prices["a/gpt-4o"] = new ModelPriceOptions { InputPerMillion = 1, OutputPerMillion = 2 };
        options.Prices["chat"] = new ModelPriceOptions { InputPerMillion = 3, OutputPerMillion = 4 };
        options.Prices["gpt-4o-mini"] = new ModelPriceOptions { InputPerMillion = 5, OutputPerMillion = 6, CachedInputPerMillion = 0.5m };
        using var router = LlmRouterClient.Create(Routers.OpenAccess(options));

        Assert.Equal((1m, "LlmRouter:Prices:a/gpt-4o"), Describe(DeploymentOf(router, "chat", 0)));
        Assert.Equal((3m, "LlmRouter:Prices:chat"), Describe(DeploymentOf(router, "chat", 1)));
        Assert.Equal((1m, "LlmRouter:Prices:a/gpt-4o"), Describe(DeploymentOf(router, "other")));
        ModelPrice mini = DeploymentOf(router, "third").Price!;
        Assert.Equal((5m, "LlmRouter:Prices:gpt-4o-mini"), Describe(DeploymentOf(router, "third")));
        Assert.Equal(PriceSource.Configuration, mini.Source);
        Assert.Null(mini.CatalogVersion);

        // Unset rates follow the documented defaults: cache write at the input price, reasoning at the output price.
        Assert.Equal(new PriceRates { InputPerMillion = 5, CachedInputPerMillion = 0.5m, CacheWritePerMillion = 5, OutputPerMillion = 6, ReasoningPerMillion = 6 }, mini.Rates);

        // The catalog's window stays when only prices are overridden.
        Assert.Equal(128_000, DeploymentOf(router, "third").MaxInputTokens);

        static (decimal, string) Describe(Deployment d) => (d.Price!.InputPerMillion, d.Price.SourceName);
    }

    [Fact]
    public void Token_limits_alone_keep_the_catalog_s_prices()
    {
        LlmRouterOptions options = PricingFixtures.OneModel("chat", "gpt-4o");
        options.Prices["chat"] = new ModelPriceOptions { MaxInputTokens = 32_000, MaxOutputTokens = 2_000 };
        using var router = LlmRouterClient.Create(Routers.OpenAccess(options));

        Deployment deployment = DeploymentOf(router, "chat");
        Assert.Equal((32_000, 2_000), (deployment.MaxInputTokens, deployment.MaxOutputTokens));
        Assert.Equal(PriceSource.Catalog, deployment.Price!.Source);
        Assert.Equal("gpt-4o", deployment.Price.SourceName);
    }

    [Fact]
    public void A_deployment_with_a_name_of_its_own_is_priced_as_the_model_it_names()
    {
        var options = new LlmRouterOptions();
        options.Providers["azure"] = new ProviderOptions { Kind = ProviderKind.AzureOpenAI, Region = "ch", Endpoint = new Uri("https://acme.openai.azure.com/"), ApiKey = "test-key-not-real" };
        options.Models["chat"] = new ModelOptions { Deployments = [new DeploymentOptions { Provider = "azure", Model = "acme-gpt4o-prod", PriceAs = "gpt-4o" }] };
        using var router = LlmRouterClient.Create(Routers.OpenAccess(options));

        Deployment deployment = DeploymentOf(router, "chat");
        Assert.Equal("azure/gpt-4o", deployment.Price!.SourceName);
        Assert.Equal(new TokenizerChoice(TokenEncoding.O200kBase, IsExact: true), deployment.Tokenizer);
    }

    [Fact]
    public void Providers_are_matched_to_catalog_prefixes_by_API_host_and_kind()
    {
        var options = new LlmRouterOptions();
        options.Providers["eu-llm"] = new ProviderOptions { Kind = ProviderKind.OpenAICompatible, Region = "eu", Endpoint = new Uri("https://api.mistral.ai/v1") };
        options.Providers["azure"] = new ProviderOptions { Kind = ProviderKind.AzureOpenAI, Region = "ch", Endpoint = new Uri("https://acme.openai.azure.com/"), ApiKey = "test-key-not-real" };
        options.Providers["deepseek"] = PricingFixtures.Simulated();
        options.Models["mistral"] = new ModelOptions { Deployments = [new DeploymentOptions { Provider = "eu-llm", Model = "mistral-large-latest" }] };
        options.Models["azure"] = new ModelOptions { Deployments = [new DeploymentOptions { Provider = "azure", Model = "gpt-4o" }] };
        options.Models["deepseek"] = new ModelOptions { Deployments = [new DeploymentOptions { Provider = "deepseek", Model = "deepseek-reasoner" }] };
        using var router = LlmRouterClient.Create(Routers.OpenAccess(options));

        Assert.Equal("mistral/mistral-large-latest", DeploymentOf(router, "mistral").Price!.SourceName);
        Assert.Equal("azure/gpt-4o", DeploymentOf(router, "azure").Price!.SourceName);
        Assert.Equal("deepseek/deepseek-reasoner", DeploymentOf(router, "deepseek").Price!.SourceName);
        Assert.False(DeploymentOf(router, "mistral").Tokenizer.IsExact);
    }

    [Fact]
    public async Task Prices_and_pricing_bind_from_configuration()
    {
        IConfigurationSection section = new ConfigurationBuilder().AddInMemoryCollection(Routers.OpenAccess(new Dictionary<string, string?>
        {
            ["LlmRouter:Providers:local:Kind"] = "Simulated",
            ["LlmRouter:Providers:local:Region"] = "eu",
            ["LlmRouter:Providers:local:UsageFormat"] = "OpenAI",
            ["LlmRouter:Models:finetune:Deployments:0:Provider"] = "local",
            ["LlmRouter:Models:finetune:Deployments:0:Model"] = "my-finetune",
            ["LlmRouter:Prices:my-finetune:InputPerMillion"] = "1.2",
            ["LlmRouter:Prices:my-finetune:OutputPerMillion"] = "4.8",
            ["LlmRouter:Prices:my-finetune:MaxInputTokens"] = "32000",
            ["LlmRouter:Prices:my-finetune:Tiers:0:AboveInputTokens"] = "16000",
            ["LlmRouter:Prices:my-finetune:Tiers:0:InputPerMillion"] = "2.4",
            ["LlmRouter:Prices:my-finetune:Tiers:0:OutputPerMillion"] = "9.6",
            ["LlmRouter:Pricing:Strict"] = "true",
            ["LlmRouter:Pricing:DefaultMaxOutputTokens"] = "1024",
        })).Build().GetSection("LlmRouter");
        await using var router = LlmRouterClient.FromConfiguration(section);

        RouteInfo route = (await router.GetResponseAsync("hello", Routers.For("finetune"))).GetRouteInfo()!;

        // Simulated usage: 6 input, 24 output tokens: 6 × 1.2 + 24 × 4.8 = 7.2 + 115.2 = 122.4 per million.
        Assert.Equal(0.0001224m, route.Cost);
        Assert.Equal("configuration: LlmRouter:Prices:my-finetune", route.PriceSource);
        PriceTier tier = Assert.Single(route.Price!.Tiers);
        Assert.Equal((16_000L, 2.4m, 9.6m), (tier.AboveInputTokens, tier.Rates.InputPerMillion, tier.Rates.OutputPerMillion));
        Assert.True(router.Services.GetRoutingTable().Pricing.Strict);
        Assert.Equal(1024, router.Services.GetRoutingTable().Pricing.DefaultMaxOutputTokens);
    }

    [Fact]
    public void Every_pricing_mistake_is_reported_with_its_path()
    {
        LlmRouterOptions options = PricingFixtures.OneModel("chat", "gpt-4o");
        options.Models["chat"].Deployments[0].PriceAs = "gpt-9-turbo";
        options.Prices["gtp-4o"] = new ModelPriceOptions { InputPerMillion = 1, OutputPerMillion = 1 };
        options.Prices["chat"] = new ModelPriceOptions { InputPerMillion = 1 };
        options.Prices["sim/gpt-4o"] = new ModelPriceOptions
        {
            InputPerMillion = -1,
            OutputPerMillion = 1,
            Tiers = [new PriceTierOptions { AboveInputTokens = 1000, InputPerMillion = 1, OutputPerMillion = 1 }, new PriceTierOptions { AboveInputTokens = 1000, InputPerMillion = 2, OutputPerMillion = 2 }],
        };
        options.Prices["gpt-9-turbo"] = new ModelPriceOptions();
        options.Pricing.DefaultMaxOutputTokens = 0;

        var error = Assert.Throws<OptionsValidationException>(() => LlmRouterClient.Create(Routers.OpenAccess(options)));
        string[] failures = [.. error.Failures];

        Assert.Contains(failures, f => f.StartsWith("LlmRouter:Prices:gtp-4o: 'gtp-4o' matches no deployment", StringComparison.Ordinal));
        Assert.Contains("LlmRouter:Prices:chat: a price needs both InputPerMillion and OutputPerMillion", failures);
        Assert.Contains(failures, f => f.StartsWith("LlmRouter:Prices:sim/gpt-4o:InputPerMillion:", StringComparison.Ordinal));
        Assert.Contains("LlmRouter:Prices:sim/gpt-4o:Tiers[1]:AboveInputTokens: another tier already starts above 1000 tokens", failures);
        Assert.Contains("LlmRouter:Prices:gpt-9-turbo: sets neither a price nor a token limit", failures);
        Assert.Contains(failures, f => f.StartsWith("LlmRouter:Pricing:DefaultMaxOutputTokens:", StringComparison.Ordinal));
        Assert.Equal(6, failures.Length);
    }

    [Fact]
    public void A_PriceAs_the_catalog_does_not_know_is_an_error_unless_configuration_prices_the_deployment()
    {
        LlmRouterOptions options = PricingFixtures.OneModel("chat", "acme-llm");
        options.Models["chat"].Deployments[0].PriceAs = "gpt-9-turbo";

        var error = Assert.Throws<OptionsValidationException>(() => LlmRouterClient.Create(Routers.OpenAccess(options)));
        Assert.Contains(error.Failures, f => f.StartsWith("LlmRouter:Models:chat:Deployments[0]:PriceAs: the price catalog (", StringComparison.Ordinal) && f.Contains("has no model 'gpt-9-turbo'", StringComparison.Ordinal));

        options.Prices["chat"] = new ModelPriceOptions { InputPerMillion = 1, OutputPerMillion = 2 };
        using var router = LlmRouterClient.Create(Routers.OpenAccess(options));
        Assert.Equal(1m, DeploymentOf(router, "chat").Price!.InputPerMillion);
    }

    [Fact]
    public void A_misspelt_pricing_setting_is_reported()
    {
        IConfigurationSection section = new ConfigurationBuilder().AddInMemoryCollection(Routers.OpenAccess(new Dictionary<string, string?>
        {
            ["LlmRouter:Providers:local:Kind"] = "Simulated",
            ["LlmRouter:Providers:local:Region"] = "eu",
            ["LlmRouter:Models:chat:Deployments:0:Provider"] = "local",
            ["LlmRouter:Models:chat:Deployments:0:Model"] = "gpt-4o",
            ["LlmRouter:Prices:chat:InputPerMilion"] = "1",
            ["LlmRouter:Pricing:Strikt"] = "true",
        })).Build().GetSection("LlmRouter");

        var error = Assert.Throws<OptionsValidationException>(() => LlmRouterClient.FromConfiguration(section));

        Assert.Contains("LlmRouter:Prices:chat:InputPerMilion: unknown setting 'InputPerMilion'", error.Failures);
        Assert.Contains("LlmRouter:Pricing:Strikt: unknown setting 'Strikt'", error.Failures);
    }
}
