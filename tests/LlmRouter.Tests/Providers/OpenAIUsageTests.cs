using LlmRouter.Tests.Support;
using Microsoft.Extensions.AI;

namespace LlmRouter.Tests.Providers;

/// <summary>Token usage as OpenAI reports it (cached inside the prompt, reasoning inside the completion), normalized into disjoint kinds.</summary>
public sealed class OpenAIUsageTests
{
    private static readonly WireUsage Reported = new(PromptTokens: 1000, CompletionTokens: 300, CachedTokens: 400, ReasoningTokens: 120);

    private static readonly TokenUsage Normalized = new()
    {
        InputTokens = 600,
        CachedInputTokens = 400,
        OutputTokens = 180,
        ReasoningTokens = 120,
    };

    [Fact]
    public async Task Usage_from_the_wire_lands_in_the_route_with_cached_and_reasoning_tokens_split_out()
    {
        await using var server = await OpenAIWireServer.StartAsync();
        server.RespondWith(WireBehavior.Reply(usage: Reported));
        await using var router = LlmRouterClient.Create(Routers.OpenAccess(OneAlias(server)));

        ChatResponse response = await router.GetResponseAsync("hi", new ChatOptions { ModelId = "chat" });

        RouteInfo route = response.GetRouteInfo()!;
        Assert.Equal(Normalized, route.Tokens);
        Assert.Equal(Normalized, route.Attempts[0].Tokens);
        Assert.Equal(1300, route.Tokens.TotalTokens);
        Assert.False(route.TokensEstimated);
        Assert.Equal((1000L, 300L), (response.Usage!.InputTokenCount, response.Usage.OutputTokenCount));
    }

    [Fact]
    public async Task Streamed_usage_lands_in_the_route_the_same_way()
    {
        await using var server = await OpenAIWireServer.StartAsync();
        server.RespondWith(WireBehavior.Reply(usage: Reported));
        await using var router = LlmRouterClient.Create(Routers.OpenAccess(OneAlias(server)));

        ChatResponse response = await router.GetStreamingResponseAsync("hi", new ChatOptions { ModelId = "chat" }).ToChatResponseAsync();

        RouteInfo route = response.GetRouteInfo()!;
        Assert.Equal(Normalized, route.Tokens);
        Assert.False(route.TokensEstimated);
        Assert.True(route.Streaming);
        Assert.NotNull(route.TimeToFirstToken);
    }

    [Fact]
    public async Task A_fallback_counts_the_tokens_of_the_attempt_that_served()
    {
        await using var primary = await OpenAIWireServer.StartAsync();
        await using var secondary = await OpenAIWireServer.StartAsync();
        primary.RespondWith(WireBehavior.ServerError());
        secondary.RespondWith(WireBehavior.Reply(usage: Reported));
        await using var router = LlmRouterClient.Create(Routers.OpenAccess(WireProviders.PrimaryAndSecondary(primary, secondary)));

        RouteInfo route = (await router.GetStreamingResponseAsync("hi", new ChatOptions { ModelId = "primary" }).ToChatResponseAsync()).GetRouteInfo()!;

        Assert.Equal("secondary", route.ServedModel);
        Assert.True(route.Attempts[0].Tokens.IsEmpty);
        Assert.Equal(Normalized, route.Tokens);
    }

    private static LlmRouterOptions OneAlias(OpenAIWireServer server)
    {
        var options = new LlmRouterOptions();
        options.Providers["openai"] = WireProviders.OpenAI(server);
        options.Models["chat"] = WireProviders.Alias("openai", "o4-mini");
        return options;
    }
}
