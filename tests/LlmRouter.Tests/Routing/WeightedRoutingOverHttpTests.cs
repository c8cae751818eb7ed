using LlmRouter.Tests.Support;
using Microsoft.Extensions.AI;

namespace LlmRouter.Tests.Routing;

/// <summary>The weighted strategy, counted at the servers.</summary>
public sealed class WeightedRoutingOverHttpTests
{
    private static readonly ChatOptions Chat = new() { ModelId = "chat" };

    [Fact]
    public async Task Two_deployments_weighted_3_to_1_share_the_traffic_3_to_1()
    {
        await using var heavy = await OpenAIWireServer.StartAsync();
        await using var light = await OpenAIWireServer.StartAsync();
        LlmRouterOptions options = TwoDeployments(heavy, light, heavyWeight: 3, lightWeight: 1);
        options.Routing.Seed = 7;
        await using var router = LlmRouterClient.Create(Routers.OpenAccess(options));
        var servedBy = new Dictionary<string, int>();

        for (int i = 0; i < 400; i++)
        {
            RouteInfo route = (await router.GetResponseAsync("hi", Chat)).GetRouteInfo()!;
            servedBy[route.Provider!] = servedBy.GetValueOrDefault(route.Provider!) + 1;
        }

        // Binomial(400, 0.75): mean 300, standard deviation √75 ≈ 8.7. ±35 is four deviations, which a fair
        // choice leaves less than once in 10,000 runs; with a seed the run is reproducible anyway.
        Assert.InRange(heavy.RequestCount, 265, 335);
        Assert.Equal(400, heavy.RequestCount + light.RequestCount);
        Assert.Equal((heavy.RequestCount, light.RequestCount), (servedBy["heavy"], servedBy["light"]));
    }

    [Fact]
    public async Task A_zero_weight_deployment_serves_only_when_the_weighted_ones_cannot()
    {
        await using var active = await OpenAIWireServer.StartAsync();
        await using var standby = await OpenAIWireServer.StartAsync();
        await using var router = LlmRouterClient.Create(Routers.OpenAccess(TwoDeployments(active, standby, heavyWeight: 1, lightWeight: 0)));

        for (int i = 0; i < 20; i++)
        {
            await router.GetResponseAsync("hi", Chat);
        }

        active.Enqueue(WireBehavior.ServiceUnavailable());
        RouteInfo route = (await router.GetResponseAsync("hi", Chat)).GetRouteInfo()!;

        Assert.Equal(21, active.RequestCount);
        Assert.Equal(1, standby.RequestCount);
        Assert.Equal(("chat", "light"), (route.ServedModel, route.Provider));
    }

    private static LlmRouterOptions TwoDeployments(OpenAIWireServer heavy, OpenAIWireServer light, double heavyWeight, double lightWeight)
    {
        var options = new LlmRouterOptions();
        options.Providers["heavy"] = WireProviders.OpenAI(heavy);
        options.Providers["light"] = WireProviders.OpenAI(light);
        options.Models["chat"] = new ModelOptions
        {
            Deployments =
            [
                new() { Provider = "heavy", Model = "gpt-chat", Weight = heavyWeight },
                new() { Provider = "light", Model = "gpt-chat", Weight = lightWeight },
            ],
        };
        return options;
    }
}
