using LlmRouter.Tests.Support;
using System.Text;
using Microsoft.Extensions.AI;

namespace LlmRouter.Tests.Costs;

/// <summary>A request that cannot fit a deployment's context window skips it without a call, along the context-window fallbacks.</summary>
public class ContextWindowTests
{
    /// <summary>"small" is gpt-4 (an 8,192-token window in the catalog) behind a provider that counts its calls; "large" is gpt-4.1 (about a million).</summary>
    private static (LlmRouterClient Router, CountingProvider Small) Create(Action<LlmRouterOptions>? configure = null, bool contextWindowFallback = true)
    {
        var small = new CountingProvider(PricingFixtures.Simulated());
        var options = new LlmRouterOptions();
        options.Providers["counted"] = new ProviderOptions { Kind = ProviderKind.Custom, Region = "eu" };
        options.Providers["sim"] = PricingFixtures.Simulated();
        options.Models["small"] = new ModelOptions
        {
            Deployments = [new DeploymentOptions { Provider = "counted", Model = "gpt-4" }],
            ContextWindowFallbacks = contextWindowFallback ? ["large"] : [],
            Fallbacks = ["general"],
        };
        options.Models["large"] = new ModelOptions { Deployments = [new DeploymentOptions { Provider = "sim", Model = "gpt-4.1" }] };
        options.Models["general"] = new ModelOptions { Deployments = [new DeploymentOptions { Provider = "sim", Model = "gpt-4o" }] };
        configure?.Invoke(options);
        return (LlmRouterClient.Create(Routers.OpenAccess(options), builder => builder.AddProvider("counted", small)), small);
    }

    /// <summary>About <paramref name="tokens"/> o200k/cl100k tokens of English words.</summary>
    private static string Words(int tokens)
    {
        var text = new StringBuilder(tokens * 6);
        for (int i = 0; i < tokens; i++)
        {
            text.Append(" invoice");
        }

        return text.ToString();
    }

    [Fact]
    public async Task An_oversized_prompt_skips_to_the_context_window_fallback_without_a_call()
    {
        (LlmRouterClient router, CountingProvider small) = Create();
        await using (router)
        {
            RouteInfo route = (await router.GetResponseAsync(Words(9000), new ChatOptions { ModelId = "small" })).GetRouteInfo()!;

            Assert.Equal(0, small.Calls);
            Assert.Equal("large", route.ServedModel);
            RouteAttempt skipped = route.Attempts[0];
            Assert.Equal(("small", AttemptOutcome.Skipped, SkipReasons.ContextWindow), (skipped.Model, skipped.Outcome, skipped.SkipReason));
            Assert.Equal(2, route.Attempts.Count);
        }
    }

    [Fact]
    public async Task An_oversized_stream_skips_the_same_way()
    {
        (LlmRouterClient router, CountingProvider small) = Create();
        await using (router)
        {
            RouteInfo route = (await router.GetStreamingResponseAsync(Words(9000), new ChatOptions { ModelId = "small" }).ToChatResponseAsync()).GetRouteInfo()!;

            Assert.Equal(0, small.Calls);
            Assert.Equal("large", route.ServedModel);
            Assert.Equal(SkipReasons.ContextWindow, route.Attempts[0].SkipReason);
        }
    }

    [Fact]
    public async Task The_requested_output_is_reserved_in_the_window()
    {
        (LlmRouterClient router, CountingProvider small) = Create();
        await using (router)
        {
            // About 5,000 prompt tokens fit 8,192 — but not with 4,000 output tokens on top.
            RouteInfo fits = (await router.GetResponseAsync(Words(5000), new ChatOptions { ModelId = "small" })).GetRouteInfo()!;
            RouteInfo doesNot = (await router.GetResponseAsync(Words(5000), new ChatOptions { ModelId = "small", MaxOutputTokens = 4000 })).GetRouteInfo()!;

            Assert.Equal("small", fits.ServedModel);
            Assert.Equal("large", doesNot.ServedModel);
            Assert.Equal(1, small.Calls);
        }
    }

    [Fact]
    public async Task Without_context_window_fallbacks_the_general_fallbacks_are_used()
    {
        (LlmRouterClient router, CountingProvider small) = Create(contextWindowFallback: false);
        await using (router)
        {
            RouteInfo route = (await router.GetResponseAsync(Words(9000), new ChatOptions { ModelId = "small" })).GetRouteInfo()!;

            Assert.Equal(0, small.Calls);
            Assert.Equal("general", route.ServedModel);
        }
    }

    [Fact]
    public async Task When_nothing_fits_no_provider_is_called()
    {
        (LlmRouterClient router, CountingProvider small) = Create(options => options.Models["small"].ContextWindowFallbacks.Clear());
        await using (router)
        {
            // Over gpt-4o's 128,000 as well.
            var error = await Assert.ThrowsAsync<AllDeploymentsFailedException>(() => router.GetResponseAsync(Words(130_000), new ChatOptions { ModelId = "small" }));

            Assert.Equal(0, small.Calls);
            Assert.All(error.Attempts, a => Assert.Equal(SkipReasons.ContextWindow, a.SkipReason));
            Assert.Equal(["small", "general"], error.Attempts.Select(a => a.Model));
        }
    }

    [Fact]
    public async Task A_prompt_whose_bounds_exceed_the_window_but_whose_count_fits_is_sent()
    {
        (LlmRouterClient router, CountingProvider small) = Create();
        await using (router)
        {
            (IChatClient client, RouteProbe probe) = PricingFixtures.WithProbe(router);

            // 3,000 words: about 24,000 UTF-8 bytes, over the 8,192 window, but about 3,000 tokens.
            RouteInfo route = (await client.GetResponseAsync(Words(3000), new ChatOptions { ModelId = "small" })).GetRouteInfo()!;

            Assert.Equal("small", route.ServedModel);
            Assert.Equal(1, small.Calls);
            Assert.Equal(1, probe.Route!.Estimate.Tokenizations);
        }
    }

    [Fact]
    public async Task A_prompt_that_fits_by_its_bounds_is_never_tokenized()
    {
        (LlmRouterClient router, _) = Create();
        await using (router)
        {
            (IChatClient client, RouteProbe probe) = PricingFixtures.WithProbe(router);

            await client.GetResponseAsync(Words(500), new ChatOptions { ModelId = "small" });
            await client.GetStreamingResponseAsync(Words(500), new ChatOptions { ModelId = "small" }).ToChatResponseAsync();

            Assert.Equal(0, probe.Route!.Estimate.Tokenizations);
        }
    }

    [Fact]
    public async Task The_check_can_be_turned_off()
    {
        (LlmRouterClient router, CountingProvider small) = Create(options => options.Pricing.CheckContextWindow = false);
        await using (router)
        {
            RouteInfo route = (await router.GetResponseAsync(Words(9000), new ChatOptions { ModelId = "small" })).GetRouteInfo()!;

            Assert.Equal(1, small.Calls);
            Assert.Equal("small", route.ServedModel);
        }
    }
}
