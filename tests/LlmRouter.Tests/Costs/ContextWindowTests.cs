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
    public async Task Where_a_whole_window_is_configured_the_requested_output_is_reserved_in_it()
    {
        // gpt-4's 8,192 tokens are shared by prompt and output; the catalog gives only the input limit, configuration the window.
        (LlmRouterClient router, CountingProvider small) = Create(options => options.Prices["gpt-4"] = new ModelPriceOptions { ContextWindowTokens = 8192 });
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
    public async Task Without_a_configured_window_the_output_is_not_taken_from_the_input_limit()
    {
        (LlmRouterClient router, CountingProvider small) = Create();
        await using (router)
        {
            // The catalog's 8,192 is an input limit: 5,000 prompt tokens fit it whatever output is asked for.
            RouteInfo route = (await router.GetResponseAsync(Words(5000), new ChatOptions { ModelId = "small", MaxOutputTokens = 4000 })).GetRouteInfo()!;

            Assert.Equal("small", route.ServedModel);
            Assert.Equal(1, small.Calls);
        }
    }

    [Fact]
    public async Task A_gpt_5_prompt_under_its_272k_input_limit_with_a_30k_output_cap_is_sent()
    {
        // gpt-5: 272,000 prompt and 128,000 output tokens at most (a 400,000-token window). Read as a whole window, the
        // input limit would wrongly skip 250,000 prompt tokens with 30,000 output.
        (LlmRouterClient router, CountingProvider counted) = Create(options =>
            options.Models["small"].Deployments = [new DeploymentOptions { Provider = "counted", Model = "gpt-5" }]);
        await using (router)
        {
            Assert.Equal((272_000, 128_000), (router.Services.GetRoutingTable().Models["small"].Deployments[0].MaxInputTokens, router.Services.GetRoutingTable().Models["small"].Deployments[0].MaxOutputTokens));

            RouteInfo route = (await router.GetResponseAsync(Words(250_000), new ChatOptions { ModelId = "small", MaxOutputTokens = 30_000 })).GetRouteInfo()!;

            Assert.Equal("small", route.ServedModel);
            Assert.Equal(1, counted.Calls);
        }
    }

    [Theory]
    [InlineData(2_500, 300, true)] // under the input limit, and prompt + output under the window
    [InlineData(2_800, 100, false)] // over the input limit
    [InlineData(2_600, 1_000, true)] // 3,600 under the 4,000 window
    [InlineData(2_600, 1_500, true)] // the output cap is at most the model's 1,280: 3,880
    [InlineData(2_700, 1_300, true)] // 2,700 + 1,280 = 3,980
    [InlineData(2_600, 0, true)] // no MaxOutputTokens: nothing reserved
    public async Task The_prompt_must_fit_the_input_limit_and_prompt_plus_output_cap_the_window(int promptTokens, int maxOutputTokens, bool sent)
    {
        // gpt-5's shape at a hundredth of its size: 2,720 in, 1,280 out, a 4,000 window.
        (LlmRouterClient router, CountingProvider small) = Create(options =>
            options.Prices["gpt-4"] = new ModelPriceOptions { MaxInputTokens = 2_720, MaxOutputTokens = 1_280, ContextWindowTokens = 4_000 });
        await using (router)
        {
            var options = new ChatOptions { ModelId = "small", MaxOutputTokens = maxOutputTokens == 0 ? null : maxOutputTokens };
            RouteInfo route = (await router.GetResponseAsync(Words(promptTokens - 10), options)).GetRouteInfo()!;

            Assert.Equal(sent ? "small" : "large", route.ServedModel);
            Assert.Equal(sent ? 1 : 0, small.Calls);
        }
    }

    [Fact]
    public async Task A_window_the_output_cap_overflows_is_skipped()
    {
        (LlmRouterClient router, CountingProvider small) = Create(options =>
            options.Prices["gpt-4"] = new ModelPriceOptions { MaxInputTokens = 2_720, MaxOutputTokens = 1_280, ContextWindowTokens = 3_500 });
        await using (router)
        {
            // 2,600 + 1,280 = 3,880 over 3,500, though the prompt is under its limit.
            RouteInfo route = (await router.GetResponseAsync(Words(2_590), new ChatOptions { ModelId = "small", MaxOutputTokens = 2_000 })).GetRouteInfo()!;

            Assert.Equal("large", route.ServedModel);
            Assert.Equal(SkipReasons.ContextWindow, route.Attempts[0].SkipReason);
            Assert.Equal(0, small.Calls);
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
