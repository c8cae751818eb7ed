using LlmRouter;
using Microsoft.Extensions.AI;

namespace LlmRouter.Tests.Support;

public class Smoke
{
    [Fact]
    public async Task Runs()
    {
        var options = new LlmRouterOptions();
        options.Providers["flaky"] = new ProviderOptions { Kind = ProviderKind.Simulated, Region = "eu", FailureRate = 1.0 };
        options.Providers["steady"] = new ProviderOptions { Kind = ProviderKind.Simulated, Region = "eu" };
        options.Models["a"] = new ModelOptions { Deployments = [new DeploymentOptions { Provider = "flaky", Model = "m1" }], Fallbacks = ["b"] };
        options.Models["b"] = new ModelOptions { Deployments = [new DeploymentOptions { Provider = "steady", Model = "m2" }] };
        await using var router = LlmRouterClient.Create(options);
        var response = await router.GetResponseAsync("hi", new ChatOptions { ModelId = "a" });
        var route = response.GetRouteInfo()!;
        Assert.Equal("b", route.ServedModel);
        Assert.Equal(2, route.Attempts.Count);
        var stream = await router.GetStreamingResponseAsync("hi", new ChatOptions { ModelId = "a" }).ToChatResponseAsync();
        var sroute = stream.GetRouteInfo()!;
        Assert.Equal("b", sroute.ServedModel);
        Assert.Equal(RouteStatus.Served, sroute.Status);
    }
}
