using System.Text;
using Microsoft.Extensions.AI;

namespace LlmRouter.Tests.Costs;

/// <summary>What budgets and rate limits reserve: the prompt's safe bound, the output cap and the worst-case cost on a deployment.</summary>
public class RequestEstimateTests
{
    private static Deployment On(string model, int? maxOutput = null, bool priced = true)
    {
        PriceCatalogEntry? entry = PriceCatalog.BuiltIn.Resolve(model, []);
        return new Deployment("chat", 0, "p", ProviderKind.Simulated, "eu", model, 1, new SimulatedChatClient(PricingFixtures.Simulated()), new DeploymentHealth("p/" + model, TimeProvider.System))
        {
            Price = priced ? entry?.Price : null,
            MaxInputTokens = entry?.MaxInputTokens,
            MaxOutputTokens = maxOutput ?? entry?.MaxOutputTokens,
            Tokenizer = TokenCounting.ChoiceFor(model),
        };
    }

    private static RequestEstimate Estimate(string prompt, int? maxOutputTokens = null)
    {
        var route = new RouteInfo(TimeProvider.System, streaming: false, "chat");
        route.AttachRequest([new ChatMessage(ChatRole.User, prompt)], new ChatOptions { MaxOutputTokens = maxOutputTokens });
        return route.Estimate;
    }

    [Fact]
    public void The_output_cap_is_the_request_s_limit_else_the_model_s_else_the_configured_default()
    {
        Assert.Equal(500, Estimate("hi", maxOutputTokens: 500).OutputCap(On("gpt-4o")));
        Assert.Equal(16_384, Estimate("hi").OutputCap(On("gpt-4o")));
        Assert.Equal(16_384, Estimate("hi", maxOutputTokens: 100_000).OutputCap(On("gpt-4o")));
        Assert.Equal(PricingOptions.DefaultDefaultMaxOutputTokens, Estimate("hi").OutputCap(On("house-model")));
    }

    [Fact]
    public void The_prompt_bound_is_its_UTF8_size_plus_framing_and_is_computed_without_a_tokenizer()
    {
        const string prompt = "Grüezi — what does this cost?";
        RequestEstimate estimate = Estimate(prompt);

        Assert.Equal(Encoding.UTF8.GetByteCount(prompt) + 4 + 3, estimate.PromptTokenBound);
        Assert.Equal(0, estimate.Tokenizations);
        Assert.True(estimate.PromptTokenBound >= estimate.PromptTokens(On("gpt-4o")));
        Assert.Equal(1, estimate.Tokenizations);
    }

    [Fact]
    public void Each_encoding_counts_the_prompt_at_most_once()
    {
        RequestEstimate estimate = Estimate("How many tokens is this?");

        long o200k = estimate.PromptTokens(On("gpt-4o"));
        Assert.Equal(o200k, estimate.PromptTokens(On("claude-sonnet-4-5")));
        estimate.PromptTokens(On("gpt-4"));
        estimate.PromptTokens(On("gpt-3.5-turbo"));

        Assert.Equal(2, estimate.Tokenizations);
        Assert.Equal(PricingFixtures.PromptTokens("How many tokens is this?"), o200k);
    }

    [Fact]
    public void The_worst_case_cost_takes_the_dearer_prompt_and_output_rates_and_the_full_output_cap()
    {
        RequestEstimate estimate = Estimate("Summarize the contract.", maxOutputTokens: 1000);
        long bound = estimate.PromptTokenBound;

        // gpt-4o: every prompt token at $2.50, 1,000 output tokens at $10.
        Assert.Equal(((bound * 2.5m) + (1000 * 10m)) / 1_000_000m, estimate.WorstCaseCost(On("gpt-4o")));

        // claude-sonnet-4-5: a cache write ($3.75) is dearer than plain input ($3).
        Assert.Equal(((bound * 3.75m) + (1000 * 15m)) / 1_000_000m, estimate.WorstCaseCost(On("claude-sonnet-4-5")));

        // Counting the prompt instead of bounding it gives a lower, still safe figure.
        long counted = estimate.PromptTokens(On("gpt-4o"));
        Assert.Equal(((counted * 2.5m) + (1000 * 10m)) / 1_000_000m, estimate.WorstCaseCost(On("gpt-4o"), countPrompt: true));
        Assert.True(estimate.WorstCaseCost(On("gpt-4o"), countPrompt: true) < estimate.WorstCaseCost(On("gpt-4o")));

        Assert.Null(estimate.WorstCaseCost(On("gpt-4o", priced: false)));
    }

    [Fact]
    public void The_worst_case_of_a_long_prompt_is_at_the_long_context_rates()
    {
        RequestEstimate estimate = Estimate(string.Concat(Enumerable.Repeat("a ", 150_000)), maxOutputTokens: 100);

        // 300,000 bytes bound the prompt above 200,000 tokens: gemini-2.5-pro's long-context tier ($2.50 in, $15 out).
        long bound = estimate.PromptTokenBound;
        Assert.Equal(((bound * 2.5m) + (100 * 15m)) / 1_000_000m, estimate.WorstCaseCost(On("gemini/gemini-2.5-pro")));
    }

    [Fact]
    public void The_prompt_is_released_when_the_request_completes_but_measures_taken_stay()
    {
        var route = new RouteInfo(TimeProvider.System, streaming: false, "chat");
        route.AttachRequest([new ChatMessage(ChatRole.User, "hello")], new ChatOptions());
        long bound = route.Estimate.PromptTokenBound;

        RouterRequest.Complete(route, failure: null, abandoned: false, CancellationToken.None);

        Assert.Equal(bound, route.Estimate.PromptTokenBound);
        Assert.Throws<InvalidOperationException>(() => route.Estimate.PromptTokens(TokenEncoding.O200kBase));
    }
}
