using LlmRouter.Tests.Support;
using Microsoft.Extensions.AI;

namespace LlmRouter.Tests.Costs;

/// <summary>Every call carries its tokens, its cost and the prices it was charged at — streams, cut-off streams and failures included.</summary>
public class CostOnResponseTests
{
    // gpt-4o-mini: $0.15 per million uncached input tokens, $0.60 per million output tokens.
    private const decimal MiniInput = 0.15m;
    private const decimal MiniOutput = 0.6m;

    private static decimal MiniCost(long input, long output) => ((input * MiniInput) + (output * MiniOutput)) / 1_000_000m;

    [Fact]
    public async Task A_served_call_carries_tokens_cost_and_the_price_it_was_charged_at()
    {
        await using var router = LlmRouterClient.Create(Routers.OpenAccess(PricingFixtures.OneModel("chat", "gpt-4o-mini")));

        RouteInfo route = (await router.GetResponseAsync("hello", new ChatOptions { ModelId = "chat" })).GetRouteInfo()!;

        // The simulated provider reports (5 + 3) / 4 + 4 = 6 input tokens and 24 output tokens.
        Assert.Equal(new TokenUsage { InputTokens = 6, OutputTokens = 24 }, route.Tokens);
        Assert.False(route.TokensEstimated);
        Assert.Equal(MiniCost(6, 24), route.Cost);
        Assert.Equal(0.0000153m, route.Cost);
        Assert.Equal("gpt-4o-mini", route.Price!.SourceName);
        Assert.Equal($"catalog {PriceCatalog.BuiltIn.Version}: gpt-4o-mini", route.PriceSource);
        RouteAttempt attempt = Assert.Single(route.Attempts);
        Assert.Same(route.Price, attempt.Price);
        Assert.Equal(route.Cost, attempt.Cost);
        Assert.False(route.PriceUnknown);
    }

    [Fact]
    public async Task A_stream_with_provider_usage_is_priced_from_that_usage()
    {
        await using var router = LlmRouterClient.Create(Routers.OpenAccess(PricingFixtures.OneModel("chat", "gpt-4o-mini")));

        RouteInfo route = (await router.GetStreamingResponseAsync("hello", new ChatOptions { ModelId = "chat" }).ToChatResponseAsync()).GetRouteInfo()!;

        Assert.Equal(new TokenUsage { InputTokens = 6, OutputTokens = 24 }, route.Tokens);
        Assert.False(route.TokensEstimated);
        Assert.Equal(MiniCost(6, 24), route.Cost);
    }

    [Fact]
    public async Task A_stream_without_provider_usage_is_counted_with_the_tokenizer_and_flagged_estimated()
    {
        await using var router = LlmRouterClient.Create(Routers.OpenAccess(PricingFixtures.OneModel("chat", "gpt-4o-mini", PricingFixtures.Simulated(outputTokens: 40, reportUsage: false))));

        ChatResponse response = await router.GetStreamingResponseAsync("What did this cost?", new ChatOptions { ModelId = "chat" }).ToChatResponseAsync();
        RouteInfo route = response.GetRouteInfo()!;

        long input = PricingFixtures.PromptTokens("What did this cost?");
        long output = PricingFixtures.O200k.CountTokens(response.Text);
        Assert.Equal(PricingFixtures.O200k.CountTokens(string.Concat(PricingFixtures.SimulatedChunks(40))), output);
        Assert.Equal(new TokenUsage { InputTokens = input, OutputTokens = output }, route.Tokens);
        Assert.True(route.TokensEstimated);
        Assert.True(Assert.Single(route.Attempts).TokensEstimated);

        // gpt-4o-mini's own tokenizer counted them: exact.
        Assert.False(route.TokensApproximate);
        Assert.Equal(MiniCost(input, output), route.Cost);
        Assert.True(route.Cost > 0);
    }

    [Fact]
    public async Task Tokens_counted_for_a_model_whose_tokenizer_is_approximated_are_marked_approximate()
    {
        LlmRouterOptions options = PricingFixtures.OneModel("claude", "claude-haiku-4-5", PricingFixtures.Simulated(outputTokens: 40, reportUsage: false));
        options.Models["reported"] = new ModelOptions { Deployments = [new DeploymentOptions { Provider = "sim2", Model = "claude-haiku-4-5" }] };
        options.Providers["sim2"] = PricingFixtures.Simulated(outputTokens: 40);
        await using var router = LlmRouterClient.Create(Routers.OpenAccess(options));

        RouteInfo counted = (await router.GetStreamingResponseAsync("What did this cost?", new ChatOptions { ModelId = "claude" }).ToChatResponseAsync()).GetRouteInfo()!;
        RouteInfo reported = (await router.GetResponseAsync("What did this cost?", new ChatOptions { ModelId = "reported" })).GetRouteInfo()!;

        Assert.Equal((true, true), (counted.TokensEstimated, counted.TokensApproximate));
        Assert.True(Assert.Single(counted.Attempts).TokensApproximate);
        Assert.Equal((false, false), (reported.TokensEstimated, reported.TokensApproximate));
    }

    [Fact]
    public async Task A_response_without_provider_usage_is_counted_too()
    {
        await using var router = LlmRouterClient.Create(Routers.OpenAccess(PricingFixtures.OneModel("chat", "gpt-4o-mini", PricingFixtures.Simulated(reportUsage: false))));

        ChatResponse response = await router.GetResponseAsync("hello", new ChatOptions { ModelId = "chat" });
        RouteInfo route = response.GetRouteInfo()!;

        Assert.True(route.TokensEstimated);
        Assert.Equal(MiniCost(PricingFixtures.PromptTokens("hello"), PricingFixtures.O200k.CountTokens(response.Text)), route.Cost);
    }

    [Fact]
    public async Task A_stream_the_caller_stops_reading_is_priced_for_what_was_received()
    {
        await using var router = LlmRouterClient.Create(Routers.OpenAccess(PricingFixtures.OneModel("chat", "gpt-4o-mini", PricingFixtures.Simulated(outputTokens: 60))));
        (IChatClient client, RouteProbe probe) = PricingFixtures.WithProbe(router);

        var received = new List<string>();
        await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync("Tell me everything.", new ChatOptions { ModelId = "chat" }))
        {
            received.Add(update.Text);
            if (received.Count == 10)
            {
                break;
            }
        }

        RouteInfo route = probe.Route!;
        Assert.Equal(RouteStatus.Cancelled, route.Status);
        RouteAttempt attempt = Assert.Single(route.Attempts);
        Assert.Equal(AttemptOutcome.Cancelled, attempt.Outcome);
        long input = PricingFixtures.PromptTokens("Tell me everything.");
        long output = PricingFixtures.O200k.CountTokens(string.Concat(received));
        Assert.Equal(new TokenUsage { InputTokens = input, OutputTokens = output }, attempt.Tokens);
        Assert.True(attempt.TokensEstimated);
        Assert.Equal(MiniCost(input, output), attempt.Cost);
        Assert.Equal(attempt.Cost, route.Cost);
    }

    [Fact]
    public async Task A_cancelled_stream_is_priced_for_what_was_received()
    {
        await using var router = LlmRouterClient.Create(Routers.OpenAccess(PricingFixtures.OneModel("chat", "gpt-4o-mini", PricingFixtures.Simulated(outputTokens: 60))));
        (IChatClient client, RouteProbe probe) = PricingFixtures.WithProbe(router);
        using var cancellation = new CancellationTokenSource();

        var received = new List<string>();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync("Tell me everything.", new ChatOptions { ModelId = "chat" }, cancellation.Token))
            {
                received.Add(update.Text);
                if (received.Count == 7)
                {
                    await cancellation.CancelAsync();
                }
            }
        });

        RouteInfo route = probe.Route!;
        Assert.Equal(RouteStatus.Cancelled, route.Status);
        Assert.Equal(7, received.Count);
        long output = PricingFixtures.O200k.CountTokens(string.Concat(received));
        Assert.Equal(output, route.Tokens.OutputTokens);
        Assert.True(route.TokensEstimated);
        Assert.Equal(MiniCost(PricingFixtures.PromptTokens("Tell me everything."), output), route.Cost);
    }

    [Fact]
    public async Task A_stream_that_fails_after_output_is_priced_for_what_was_received()
    {
        ProviderOptions failing = PricingFixtures.Simulated(outputTokens: 30);
        failing.FailureRate = 1;
        failing.FailAfterChunks = 5;
        failing.FailureKind = SimulatedFailureKind.ServerError;
        await using var router = LlmRouterClient.Create(Routers.OpenAccess(PricingFixtures.OneModel("chat", "gpt-4o-mini", failing)));

        var received = new List<string>();
        var error = await Assert.ThrowsAsync<ProviderException>(async () =>
        {
            await foreach (ChatResponseUpdate update in router.GetStreamingResponseAsync("hello", new ChatOptions { ModelId = "chat" }))
            {
                received.Add(update.Text);
            }
        });

        Assert.True(error.OutputStarted);
        Assert.Equal(5, received.Count);
        RouteAttempt attempt = error.Attempt;
        Assert.Equal(AttemptOutcome.Failed, attempt.Outcome);
        long output = PricingFixtures.O200k.CountTokens(string.Concat(received));
        Assert.Equal(new TokenUsage { InputTokens = PricingFixtures.PromptTokens("hello"), OutputTokens = output }, attempt.Tokens);
        Assert.Equal(MiniCost(PricingFixtures.PromptTokens("hello"), output), error.Route!.Cost);
        Assert.True(error.Route.TokensEstimated);
    }

    [Fact]
    public async Task A_stream_that_fails_after_its_usage_arrived_is_priced_from_that_usage()
    {
        var options = new LlmRouterOptions();
        options.Providers["flaky"] = new ProviderOptions { Kind = ProviderKind.Custom, Region = "eu" };
        options.Models["chat"] = Routers.Model(("flaky", "gpt-4o-mini"));
        await using var router = Routers.Create(options, configure: b => b.AddProvider("flaky", new FailsAfterUsage()));

        var received = new List<string>();
        var error = await Assert.ThrowsAsync<ProviderException>(async () =>
        {
            await foreach (ChatResponseUpdate update in router.GetStreamingResponseAsync("hello", new ChatOptions { ModelId = "chat" }))
            {
                received.Add(update.Text);
            }
        });

        Assert.True(error.OutputStarted);
        Assert.Equal(AttemptOutcome.Failed, error.Attempt.Outcome);
        Assert.Equal(new TokenUsage { InputTokens = 1_000, OutputTokens = 250 }, error.Attempt.Tokens);
        Assert.False(error.Attempt.TokensEstimated);
        Assert.Equal(MiniCost(1_000, 250), error.Route!.Cost);
        Assert.False(error.Route.TokensEstimated);
    }

    /// <summary>Streams some text and its usage, then loses the connection before the stream ends.</summary>
    private sealed class FailsAfterUsage : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            yield return new ChatResponseUpdate(ChatRole.Assistant, "The ledger balances");
            yield return new ChatResponseUpdate { Contents = [new UsageContent(new UsageDetails { InputTokenCount = 1_000, OutputTokenCount = 250 })] };
            throw new HttpRequestException("The response ended prematurely.", null, System.Net.HttpStatusCode.BadGateway);
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }

    [Fact]
    public async Task A_failed_attempt_with_no_output_costs_nothing_and_the_fallback_is_priced()
    {
        var options = new LlmRouterOptions();
        options.Providers["down"] = new ProviderOptions { Kind = ProviderKind.Simulated, Region = "eu", FailureRate = 1 };
        options.Providers["up"] = PricingFixtures.Simulated();
        options.Models["primary"] = new ModelOptions { Deployments = [new DeploymentOptions { Provider = "down", Model = "gpt-4o" }], Fallbacks = ["backup"] };
        options.Models["backup"] = new ModelOptions { Deployments = [new DeploymentOptions { Provider = "up", Model = "gpt-4o-mini" }] };
        await using var router = LlmRouterClient.Create(Routers.OpenAccess(options));

        RouteInfo route = (await router.GetResponseAsync("hello", new ChatOptions { ModelId = "primary" })).GetRouteInfo()!;

        Assert.Equal(0m, route.Attempts[0].Cost);
        Assert.Equal("gpt-4o", route.Attempts[0].Price!.SourceName);
        Assert.Equal(MiniCost(6, 24), route.Attempts[1].Cost);
        Assert.Equal(MiniCost(6, 24), route.Cost);
        Assert.Equal($"catalog {PriceCatalog.BuiltIn.Version}: gpt-4o-mini", route.PriceSource);
    }
}
