using LlmRouter.Tests.Support;
using LlmRouter.Tests.Costs;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;

namespace LlmRouter.Tests.Routing;

/// <summary>The <c>LowestCost</c> strategy sends each request to the cheapest healthy deployment for that request.</summary>
public class LowestCostRoutingTests
{
    private static LlmRouterOptions Deployments(params (string Provider, string Model)[] deployments)
    {
        var options = new LlmRouterOptions { Routing = { Strategy = RoutingStrategies.LowestCost } };
        foreach ((string provider, _) in deployments)
        {
            options.Providers[provider] = PricingFixtures.Simulated();
        }

        options.Models["chat"] = new ModelOptions { Deployments = [.. deployments.Select(d => new DeploymentOptions { Provider = d.Provider, Model = d.Model })] };
        return options;
    }

    [Fact]
    public async Task The_cheapest_deployment_serves_without_tokenizing_the_prompt()
    {
        await using var router = LlmRouterClient.Create(Routers.OpenAccess(Deployments(("openai", "gpt-4o"), ("mini", "gpt-4o-mini"), ("opus", "claude-opus-4-1"))));
        (IChatClient client, RouteProbe probe) = PricingFixtures.WithProbe(router);

        RouteInfo route = (await client.GetResponseAsync("hello", new ChatOptions { ModelId = "chat" })).GetRouteInfo()!;

        Assert.Equal("mini", route.Provider);
        Assert.Equal(0, probe.Route!.Estimate.Tokenizations);
    }

    [Fact]
    public async Task When_input_and_output_prices_trade_off_the_request_s_shape_decides()
    {
        // "reader" is cheap to read and dear to write ($1 in, $10 out); "writer" the opposite ($3 in, $5 out).
        LlmRouterOptions options = Deployments(("reader", "model-r"), ("writer", "model-w"));
        options.Prices["reader/model-r"] = new ModelPriceOptions { InputPerMillion = 1, OutputPerMillion = 10 };
        options.Prices["writer/model-w"] = new ModelPriceOptions { InputPerMillion = 3, OutputPerMillion = 5 };
        await using var router = LlmRouterClient.Create(Routers.OpenAccess(options));
        (IChatClient client, RouteProbe probe) = PricingFixtures.WithProbe(router);

        // A short question with a long answer (the default 4,096 output tokens): the writer is cheaper whatever the prompt's size, so no count.
        RouteInfo shortQuestion = (await client.GetResponseAsync("Write me an essay.", new ChatOptions { ModelId = "chat" })).GetRouteInfo()!;
        Assert.Equal("writer", shortQuestion.Provider);
        Assert.Equal(0, probe.Route!.Estimate.Tokenizations);

        // A long document with a one-line answer: the bounds disagree, the prompt is counted once, the reader wins.
        string document = string.Concat(Enumerable.Repeat("The quarterly report lists every invoice. ", 400));
        RouteInfo longDocument = (await client.GetResponseAsync(document, new ChatOptions { ModelId = "chat", MaxOutputTokens = 20 })).GetRouteInfo()!;
        Assert.Equal("reader", longDocument.Provider);
        Assert.Equal(1, probe.Route!.Estimate.Tokenizations);
    }

    [Fact]
    public async Task A_long_context_tier_is_taken_into_account()
    {
        // "tiered" is the cheaper one ($1/$1) until its prompt exceeds 200,000 tokens, then costs $10/$10; "flat" is $3/$3.
        LlmRouterOptions options = Deployments(("tiered", "model-t"), ("flat", "model-f"));
        options.Prices["tiered/model-t"] = new ModelPriceOptions
        {
            InputPerMillion = 1,
            OutputPerMillion = 1,
            Tiers = [new PriceTierOptions { AboveInputTokens = 200_000, InputPerMillion = 10, OutputPerMillion = 10 }],
        };
        options.Prices["flat/model-f"] = new ModelPriceOptions { InputPerMillion = 3, OutputPerMillion = 3 };
        await using var router = LlmRouterClient.Create(Routers.OpenAccess(options));
        (IChatClient client, RouteProbe probe) = PricingFixtures.WithProbe(router);

        RouteInfo small = (await client.GetResponseAsync(string.Concat(Enumerable.Repeat(" invoice", 1_000)), new ChatOptions { ModelId = "chat", MaxOutputTokens = 10 })).GetRouteInfo()!;
        Assert.Equal("tiered", small.Provider);
        Assert.Equal(0, probe.Route!.Estimate.Tokenizations);

        RouteInfo large = (await client.GetResponseAsync(string.Concat(Enumerable.Repeat(" invoice", 210_000)), new ChatOptions { ModelId = "chat", MaxOutputTokens = 10 })).GetRouteInfo()!;
        Assert.Equal("flat", large.Provider);
        Assert.Equal(1, probe.Route!.Estimate.Tokenizations);

        // 220,000 bytes is over the tier, but 30,000 words are not: counted, and the tier does not apply.
        RouteInfo boundOnly = (await client.GetResponseAsync(string.Concat(Enumerable.Repeat(" invoice", 30_000)), new ChatOptions { ModelId = "chat", MaxOutputTokens = 10 })).GetRouteInfo()!;
        Assert.Equal("tiered", boundOnly.Provider);
        Assert.Equal(1, probe.Route!.Estimate.Tokenizations);
    }

    [Fact]
    public async Task The_cheapest_deployment_is_skipped_while_it_cools_down_and_serves_again_afterwards()
    {
        FakeTimeProvider clock = Routers.Clock();
        LlmRouterOptions options = Deployments(("openai", "gpt-4o"), ("mini", "gpt-4o-mini"));
        await using var router = LlmRouterClient.Create(Routers.OpenAccess(options), b => b.UseTimeProvider(clock));
        Deployment mini = router.Services.GetRoutingTable().Models["chat"].Deployments[1];
        Assert.True(mini.Health.RecordFailure(ErrorClass.RateLimited, TimeSpan.FromSeconds(30), options.Routing));

        RouteInfo cooling = (await router.GetResponseAsync("hi", new ChatOptions { ModelId = "chat" })).GetRouteInfo()!;

        Assert.Equal("openai", cooling.Provider);
        RouteAttempt skipped = Assert.Single(cooling.Attempts, a => a.Outcome == AttemptOutcome.Skipped);
        Assert.Equal(("mini", SkipReasons.Cooldown), (skipped.Provider, skipped.SkipReason));

        clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal("mini", (await router.GetResponseAsync("hi", new ChatOptions { ModelId = "chat" })).GetRouteInfo()!.Provider);
    }

    [Fact]
    public async Task A_deployment_without_a_price_is_chosen_only_when_nothing_else_can_serve()
    {
        LlmRouterOptions options = Deployments(("house", "house-model"), ("mini", "gpt-4o-mini"));
        await using var router = LlmRouterClient.Create(Routers.OpenAccess(options));

        Assert.Equal("mini", (await router.GetResponseAsync("hi", new ChatOptions { ModelId = "chat" })).GetRouteInfo()!.Provider);

        options = Deployments(("house", "house-model"), ("mini", "gpt-4o-mini"));
        options.Providers["mini"].FailureRate = 1;
        await using var failing = LlmRouterClient.Create(Routers.OpenAccess(options));
        RouteInfo route = (await failing.GetResponseAsync("hi", new ChatOptions { ModelId = "chat" })).GetRouteInfo()!;
        Assert.Equal("house", route.Provider);
        Assert.Equal("mini", route.Attempts[0].Provider);
    }

    [Fact]
    public async Task Equal_prices_go_to_the_deployment_with_fewer_requests_in_flight()
    {
        LlmRouterOptions options = Deployments(("eu1", "gpt-4o"), ("eu2", "gpt-4o"));
        await using var router = LlmRouterClient.Create(Routers.OpenAccess(options));
        Deployment first = router.Services.GetRoutingTable().Models["chat"].Deployments[0];
        first.Health.Enter();
        try
        {
            Assert.Equal("eu2", (await router.GetResponseAsync("hi", new ChatOptions { ModelId = "chat" })).GetRouteInfo()!.Provider);
        }
        finally
        {
            first.Health.Exit();
        }

        Assert.Equal("eu1", (await router.GetResponseAsync("hi", new ChatOptions { ModelId = "chat" })).GetRouteInfo()!.Provider);
    }
}
