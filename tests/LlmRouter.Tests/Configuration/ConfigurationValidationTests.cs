using LlmRouter.Tests.Support;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace LlmRouter.Tests.Configuration;

public class ConfigurationValidationTests
{
    private static IConfigurationSection Section(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(Routers.OpenAccess(values)).Build().GetSection("LlmRouter");

    private static Dictionary<string, string?> Valid() => new()
    {
        ["LlmRouter:Providers:local:Kind"] = "Simulated",
        ["LlmRouter:Providers:local:Region"] = "eu",
        ["LlmRouter:Models:fast:Deployments:0:Provider"] = "local",
        ["LlmRouter:Models:fast:Deployments:0:Model"] = "sim-1",
    };

    private static IReadOnlyList<string> Errors(Dictionary<string, string?> values, Action<LlmRouterBuilder>? configure = null)
    {
        var exception = Assert.Throws<OptionsValidationException>(() => LlmRouterClient.FromConfiguration(Section(values), configure));
        return [.. exception.Failures];
    }

    [Fact]
    public async Task A_configuration_with_three_mistakes_reports_all_three_paths_when_the_host_starts()
    {
        var values = Valid();
        values["LlmRouter:Models:fast:Deployments:0:Provider"] = "opneai";
        values["LlmRouter:Models:fast:Fallbacks:0"] = "gpt-5-mini";
        values["LlmRouter:Models:fast:Deployments:0:Weight"] = "-2";

        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(Routers.OpenAccess(values));
        builder.Services.AddLlmRouter(builder.Configuration.GetSection("LlmRouter"));
        using IHost host = builder.Build();

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Equal(3, exception.Failures.Count());
        Assert.Contains(exception.Failures, f => f.StartsWith("LlmRouter:Models:fast:Deployments[0]:Provider: unknown provider 'opneai'", StringComparison.Ordinal));
        Assert.Contains(exception.Failures, f => f.StartsWith("LlmRouter:Models:fast:Fallbacks[0]: unknown model 'gpt-5-mini'", StringComparison.Ordinal));
        Assert.Contains(exception.Failures, f => f.StartsWith("LlmRouter:Models:fast:Deployments[0]:Weight: must be zero or a positive number", StringComparison.Ordinal));
    }

    [Fact]
    public void A_valid_configuration_starts()
    {
        using var router = LlmRouterClient.FromConfiguration(Section(Valid()));
        Assert.NotNull(router.GetService<LlmRouterClient>());
    }

    [Fact]
    public void A_fallback_cycle_is_reported_with_the_cycle()
    {
        var values = Valid();
        values["LlmRouter:Models:slow:Deployments:0:Provider"] = "local";
        values["LlmRouter:Models:slow:Deployments:0:Model"] = "sim-2";
        values["LlmRouter:Models:slow:Fallbacks:0"] = "fast";
        values["LlmRouter:Models:fast:Fallbacks:0"] = "slow";

        var errors = Errors(values);

        string cycle = Assert.Single(errors);
        Assert.Matches(@"^LlmRouter:Models:\w+:Fallbacks\[0\]: fallback cycle (fast -> slow -> fast|slow -> fast -> slow)$", cycle);
    }

    [Fact]
    public void A_cycle_through_a_context_window_fallback_is_reported_too()
    {
        var values = Valid();
        values["LlmRouter:Models:big:Deployments:0:Provider"] = "local";
        values["LlmRouter:Models:big:Deployments:0:Model"] = "sim-big";
        values["LlmRouter:Models:big:Fallbacks:0"] = "fast";
        values["LlmRouter:Models:fast:ContextWindowFallbacks:0"] = "big";

        Assert.Contains(Errors(values), e => e.Contains("fallback cycle", StringComparison.Ordinal));
    }

    [Fact]
    public void A_model_falling_back_to_itself_is_an_error()
    {
        var values = Valid();
        values["LlmRouter:Models:fast:Fallbacks:0"] = "fast";

        Assert.Equal(["LlmRouter:Models:fast:Fallbacks[0]: model 'fast' cannot fall back to itself"], Errors(values));
    }

    [Fact]
    public void Misspelt_settings_and_values_that_do_not_convert_are_reported_with_their_paths()
    {
        var values = Valid();
        values["LlmRouter:Models:fast:Deployments:0:Wieght"] = "3";
        values["LlmRouter:Providers:local:Kind"] = "Simulatd";
        values["LlmRouter:Routing:Cooldown"] = "thirty seconds";

        var errors = Errors(values);

        Assert.Contains("LlmRouter:Models:fast:Deployments[0]:Wieght: unknown setting 'Wieght'", errors);
        Assert.Contains(errors, e => e.StartsWith("LlmRouter:Providers:local:Kind: 'Simulatd' is not a valid ProviderKind (one of: OpenAI, AzureOpenAI, OpenAICompatible, Simulated, Custom)", StringComparison.Ordinal));
        Assert.Contains("LlmRouter:Routing:Cooldown: 'thirty seconds' is not a valid time span (hh:mm:ss)", errors);
    }

    [Fact]
    public void Provider_settings_are_checked_per_kind()
    {
        var values = new Dictionary<string, string?>
        {
            ["LlmRouter:Providers:openai:Kind"] = "OpenAI",
            ["LlmRouter:Providers:openai:Region"] = "us",
            ["LlmRouter:Providers:mistral:Kind"] = "OpenAICompatible",
            ["LlmRouter:Providers:mistral:Region"] = "EU West",
            ["LlmRouter:Providers:azure:Kind"] = "AzureOpenAI",
            ["LlmRouter:Providers:azure:Region"] = "ch",
            ["LlmRouter:Providers:azure:ApiKey"] = "azure-secret-value",
            ["LlmRouter:Providers:azure:Endpoint"] = "ftp://example.invalid/",
            ["LlmRouter:Providers:local:Kind"] = "Simulated",
            ["LlmRouter:Providers:local:FailureRate"] = "1.5",
            ["LlmRouter:Models:m:Deployments:0:Provider"] = "openai",
            ["LlmRouter:Models:m:Deployments:0:Model"] = "gpt-4o",
        };

        var errors = Errors(values);

        Assert.Contains("LlmRouter:Providers:openai:ApiKey: is required for Kind OpenAI", errors);
        Assert.Contains("LlmRouter:Providers:mistral:Endpoint: is required for Kind OpenAICompatible", errors);
        Assert.Contains(errors, e => e.StartsWith("LlmRouter:Providers:mistral:Region: 'EU West' is not a valid region name", StringComparison.Ordinal));
        Assert.Contains("LlmRouter:Providers:azure:Endpoint: must be an absolute http or https address", errors);
        Assert.Contains("LlmRouter:Providers:local:Region: is required", errors);
        Assert.Contains(errors, e => e.StartsWith("LlmRouter:Providers:local:FailureRate:", StringComparison.Ordinal));
        Assert.DoesNotContain(errors, e => e.Contains("azure-secret-value", StringComparison.Ordinal));
    }

    [Fact]
    public void A_custom_provider_needs_a_client_registered_in_code_and_a_registered_client_needs_its_configuration()
    {
        var values = Valid();
        values["LlmRouter:Providers:claude:Kind"] = "Custom";
        values["LlmRouter:Providers:claude:Region"] = "eu";

        var errors = Errors(values, builder => builder.AddProvider("ollama", new ScriptedChatClient()));

        Assert.Contains("LlmRouter:Providers:claude: Kind Custom needs a client registered in code: AddProvider(\"claude\", ...)", errors);
        Assert.Contains(errors, e => e.StartsWith("LlmRouter:Providers:ollama: registered in code with AddProvider but missing from configuration", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("gpt 4o")]
    [InlineData(" gpt-4o")]
    [InlineData("gpt-4o*")]
    [InlineData("gpt\u20114o")]
    [InlineData("gpt-4o?")]
    public void Model_aliases_are_plain_ascii_names(string alias)
    {
        var values = Valid();
        values[$"LlmRouter:Models:{alias}:Deployments:0:Provider"] = "local";
        values[$"LlmRouter:Models:{alias}:Deployments:0:Model"] = "sim";

        Assert.Contains(Errors(values), e => e.Contains("is not a valid model alias", StringComparison.Ordinal));
    }

    [Fact]
    public void Routing_settings_are_checked()
    {
        var values = Valid();
        values["LlmRouter:Routing:Strategy"] = "Cheapest";
        values["LlmRouter:Routing:AllowedFailures"] = "0";
        values["LlmRouter:Routing:StreamIdleTimeout"] = "00:00:00";
        values["LlmRouter:Routing:DefaultFallbacks:0"] = "nowhere";

        var errors = Errors(values);

        Assert.Contains(errors, e => e.StartsWith("LlmRouter:Routing:Strategy: unknown routing strategy 'Cheapest'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("LlmRouter:Routing:AllowedFailures:", StringComparison.Ordinal));
        Assert.Contains("LlmRouter:Routing:StreamIdleTimeout: must be greater than zero", errors);
        Assert.Contains("LlmRouter:Routing:DefaultFallbacks[0]: unknown model 'nowhere'", errors);
    }

    [Fact]
    public void Times_outside_what_the_http_pipeline_and_timers_take_are_reported_at_start_with_their_paths()
    {
        var values = Valid();
        values["LlmRouter:Providers:local:Timeout"] = "00:00:00.005";
        values["LlmRouter:Providers:api:Kind"] = "OpenAICompatible";
        values["LlmRouter:Providers:api:Region"] = "eu";
        values["LlmRouter:Providers:api:Endpoint"] = "http://127.0.0.1:9/v1/";
        values["LlmRouter:Providers:api:Timeout"] = "2.00:00:00";
        values["LlmRouter:Providers:api:ConnectTimeout"] = "30.00:00:00";
        values["LlmRouter:Providers:local:ChunkDelay"] = "60.00:00:00";
        values["LlmRouter:Routing:StreamIdleTimeout"] = "50.00:00:00";
        values["LlmRouter:Routing:StreamTotalTimeout"] = "10675199.00:00:00";

        var errors = Errors(values);

        Assert.Equal(
            [
                "LlmRouter:Providers:api:ConnectTimeout: must be at most 1.00:00:00",
                "LlmRouter:Providers:api:Timeout: must be from 00:00:00.0100000 to 1.00:00:00",
                "LlmRouter:Providers:local:ChunkDelay: must be at most 1.00:00:00",
                "LlmRouter:Providers:local:Timeout: must be from 00:00:00.0100000 to 1.00:00:00",
                "LlmRouter:Routing:StreamIdleTimeout: must be at most 1.00:00:00",
                "LlmRouter:Routing:StreamTotalTimeout: must be at most 1.00:00:00",
            ],
            errors.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Times_at_the_bounds_start_and_serve()
    {
        var values = Valid();
        values["LlmRouter:Providers:local:Timeout"] = "1.00:00:00";
        values["LlmRouter:Providers:local:ConnectTimeout"] = "1.00:00:00";
        values["LlmRouter:Routing:StreamIdleTimeout"] = "1.00:00:00";
        values["LlmRouter:Routing:StreamTotalTimeout"] = "1.00:00:00";
        await using var router = LlmRouterClient.FromConfiguration(Section(values));

        ChatResponse streamed = await router.GetStreamingResponseAsync("hi", Routers.For("fast")).ToChatResponseAsync();

        Assert.Equal(RouteStatus.Served, streamed.GetRouteInfo()!.Status);
    }

    [Fact]
    public void A_strategy_registered_in_code_can_be_named()
    {
        var values = Valid();
        values["LlmRouter:Routing:Strategy"] = "first";

        using var router = LlmRouterClient.FromConfiguration(Section(values), b => b.AddRoutingStrategy("first", _ => new FirstSelector()));

        Assert.NotNull(router);
    }

    [Fact]
    public void An_empty_section_says_that_nothing_is_configured()
    {
        var errors = Errors([]);

        Assert.Contains("LlmRouter:Models: no model is configured (is the configuration section name right?)", errors);
    }

    [Fact]
    public void Options_set_in_code_are_validated_the_same_way()
    {
        var options = new LlmRouterOptions();
        options.Providers["local"] = Routers.Simulated();
        options.Models["m"] = Routers.Model(("locl", "sim"));

        var exception = Assert.Throws<OptionsValidationException>(() => LlmRouterClient.Create(Routers.OpenAccess(options)));

        Assert.Equal(["LlmRouter:Models:m:Deployments[0]:Provider: unknown provider 'locl'"], exception.Failures);
    }

    [Fact]
    public void Provider_options_never_show_their_api_key()
    {
        var provider = new ProviderOptions { Kind = ProviderKind.OpenAI, Region = "us", ApiKey = "sk-live-abcdefghijklmnop" };

        Assert.DoesNotContain("sk-live", provider.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://alice:s3cr3t-pa55@llm.example.com/v1/?api-key=k3y#frag", "OpenAICompatible provider in region 'eu' at https://llm.example.com/v1/")]
    [InlineData("http://token@127.0.0.1:8080/v1", "OpenAICompatible provider in region 'eu' at http://127.0.0.1:8080/v1")]
    [InlineData("https://llm.example.com/v1/", "OpenAICompatible provider in region 'eu' at https://llm.example.com/v1/")]
    public void Provider_options_never_show_the_user_info_or_query_of_their_endpoint(string endpoint, string expected)
    {
        var provider = new ProviderOptions { Kind = ProviderKind.OpenAICompatible, Region = "eu", Endpoint = new Uri(endpoint) };

        Assert.Equal(expected, provider.ToString());
    }

    private sealed class FirstSelector : IDeploymentSelector
    {
        public int Select(ReadOnlySpan<Deployment> candidates, in DeploymentSelectionArguments arguments) => 0;
    }
}
