using System.Net;
using LlmRouter.Tests.Support;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace LlmRouter.Tests.Routing;

public class FallbackTests
{
    private static LlmRouterOptions Chain(params string[] aliases)
    {
        var options = new LlmRouterOptions();
        for (int i = 0; i < aliases.Length; i++)
        {
            options.Providers[aliases[i]] = new ProviderOptions { Kind = ProviderKind.Custom, Region = "eu" };
            options.Models[aliases[i]] = Routers.Model((aliases[i], aliases[i] + "-model"));
        }

        return options;
    }

    private static LlmRouterClient Router(LlmRouterOptions options, Dictionary<string, ScriptedChatClient> clients, Microsoft.Extensions.Time.Testing.FakeTimeProvider? time = null) =>
        Routers.Create(options, time, b =>
        {
            foreach ((string name, ScriptedChatClient client) in clients)
            {
                b.AddProvider(name, client);
            }
        });

    [Fact]
    public async Task A_flaky_provider_falls_back_and_the_route_shows_both_attempts()
    {
        var options = new LlmRouterOptions();
        options.Providers["flaky"] = Routers.Simulated("eu", p => p.FailureRate = 1);
        options.Providers["steady"] = Routers.Simulated("ch");
        options.Models["primary"] = Routers.Model(("flaky", "sim-large"));
        options.Models["primary"].Fallbacks = ["backup"];
        options.Models["backup"] = Routers.Model(("steady", "sim-small"));
        await using var router = Routers.Create(options);

        ChatResponse response = await router.GetResponseAsync("hello", Routers.For("primary"));

        RouteInfo route = response.GetRouteInfo()!;
        Assert.Equal(RouteStatus.Served, route.Status);
        Assert.Equal("primary", route.RequestedModel);
        Assert.Equal("backup", route.ServedModel);
        Assert.Equal("steady", route.Provider);
        Assert.Equal("sim-small", route.ProviderModel);
        Assert.Equal("ch", route.Region);
        Assert.Collection(
            route.Attempts,
            first =>
            {
                Assert.Equal(("primary", "flaky", AttemptOutcome.Failed, ErrorClass.ServerError, (int?)503), (first.Model, first.Provider, first.Outcome, first.ErrorClass, first.StatusCode));
                Assert.Contains("overloaded", first.Error, StringComparison.Ordinal);
            },
            second => Assert.Equal(("backup", "steady", AttemptOutcome.Succeeded), (second.Model, second.Provider, second.Outcome)));
    }

    [Theory]
    [InlineData(HttpStatusCode.TooManyRequests, ErrorClass.RateLimited)]
    [InlineData(HttpStatusCode.InternalServerError, ErrorClass.ServerError)]
    [InlineData(HttpStatusCode.ServiceUnavailable, ErrorClass.ServerError)]
    [InlineData(HttpStatusCode.NotFound, ErrorClass.NotFound)]
    public async Task Transient_failures_fall_back(HttpStatusCode status, ErrorClass expected)
    {
        var a = new ScriptedChatClient().Then(new HttpRequestException("failed", null, status));
        var b = new ScriptedChatClient();
        var options = Chain("a", "b");
        options.Models["a"].Fallbacks = ["b"];
        await using var router = Router(options, new() { ["a"] = a, ["b"] = b });

        ChatResponse response = await router.GetResponseAsync("hello", Routers.For("a"));

        Assert.Equal("b", response.GetRouteInfo()!.ServedModel);
        Assert.Equal(expected, response.GetRouteInfo()!.Attempts[0].ErrorClass);
    }

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized, ErrorClass.Authentication)]
    [InlineData(HttpStatusCode.Forbidden, ErrorClass.Authentication)]
    [InlineData(HttpStatusCode.BadRequest, ErrorClass.BadRequest)]
    [InlineData(HttpStatusCode.UnprocessableEntity, ErrorClass.BadRequest)]
    public async Task Authentication_and_bad_request_errors_fail_fast_without_fallback(HttpStatusCode status, ErrorClass expected)
    {
        var a = new ScriptedChatClient().Then(new HttpRequestException("refused", null, status));
        var b = new ScriptedChatClient();
        var options = Chain("a", "b");
        options.Models["a"].Fallbacks = ["b"];
        await using var router = Router(options, new() { ["a"] = a, ["b"] = b });

        var failure = await Assert.ThrowsAsync<ProviderException>(() => router.GetResponseAsync("hello", Routers.For("a")));

        Assert.Equal(expected, failure.ErrorClass);
        Assert.Equal(ReasonCodes.ProviderError, failure.ReasonCode);
        Assert.Equal(0, b.Calls);
        Assert.Equal(RouteStatus.Failed, failure.Route!.Status);
        Assert.IsType<HttpRequestException>(failure.InnerException);
    }

    [Fact]
    public async Task Every_deployment_of_an_alias_is_tried_before_its_fallbacks()
    {
        var one = new ScriptedChatClient().Then(new TimeoutException());
        var two = new ScriptedChatClient().Then(new TimeoutException());
        var backup = new ScriptedChatClient();
        var options = Chain("one", "two", "backup");
        options.Models["one"].Deployments.Add(new DeploymentOptions { Provider = "two", Model = "two-model" });
        options.Models["one"].Fallbacks = ["backup"];
        await using var router = Router(options, new() { ["one"] = one, ["two"] = two, ["backup"] = backup });

        RouteInfo route = (await router.GetResponseAsync("hello", Routers.For("one"))).GetRouteInfo()!;

        Assert.Equal(["one", "one", "backup"], route.Attempts.Select(a => a.Model));
        Assert.Equal([ErrorClass.Timeout, ErrorClass.Timeout, ErrorClass.None], route.Attempts.Select(a => a.ErrorClass));
    }

    [Fact]
    public async Task Fallbacks_of_fallbacks_follow_and_then_the_default_chain()
    {
        var options = Chain("a", "b", "c", "d");
        options.Models["a"].Fallbacks = ["b"];
        options.Models["b"].Fallbacks = ["c"];
        options.Routing.DefaultFallbacks = ["d"];
        var clients = new Dictionary<string, ScriptedChatClient>
        {
            ["a"] = new ScriptedChatClient().Then(new TimeoutException()),
            ["b"] = new ScriptedChatClient().Then(new TimeoutException()),
            ["c"] = new ScriptedChatClient().Then(new TimeoutException()),
            ["d"] = new ScriptedChatClient(),
        };
        await using var router = Router(options, clients);

        RouteInfo route = (await router.GetResponseAsync("hello", Routers.For("a"))).GetRouteInfo()!;

        Assert.Equal(["a", "b", "c", "d"], route.Attempts.Select(a => a.Model));
        Assert.Equal("d", route.ServedModel);
    }

    [Fact]
    public async Task The_number_of_hops_is_bounded()
    {
        var options = Chain("a", "b", "c", "d");
        options.Models["a"].Fallbacks = ["b", "c", "d"];
        options.Routing.MaxFallbackHops = 2;
        var clients = options.Providers.Keys.ToDictionary(k => k, _ => new ScriptedChatClient().Then(new TimeoutException()));
        await using var router = Router(options, clients);

        var failure = await Assert.ThrowsAsync<AllDeploymentsFailedException>(() => router.GetResponseAsync("hello", Routers.For("a")));

        Assert.Equal(0, clients["d"].Calls);
        Assert.Equal(["a", "b", "c", "d"], failure.Attempts.Select(a => a.Model));
        Assert.Equal(SkipReasons.HopLimit, failure.Attempts[^1].SkipReason);
        Assert.Equal(ReasonCodes.AllDeploymentsFailed, failure.ReasonCode);
        Assert.IsType<ProviderException>(failure.InnerException);
    }

    [Fact]
    public async Task A_context_window_error_goes_to_the_context_window_fallbacks()
    {
        var options = Chain("small", "general", "large");
        options.Models["small"].Fallbacks = ["general"];
        options.Models["small"].ContextWindowFallbacks = ["large"];
        var clients = new Dictionary<string, ScriptedChatClient>
        {
            ["small"] = new ScriptedChatClient().Then(new SimulatedProviderException(400, "This model's maximum context length is 8192 tokens.")),
            ["general"] = new ScriptedChatClient(),
            ["large"] = new ScriptedChatClient(),
        };
        await using var router = Router(options, clients);

        RouteInfo route = (await router.GetResponseAsync("hello", Routers.For("small"))).GetRouteInfo()!;

        Assert.Equal("large", route.ServedModel);
        Assert.Equal(ErrorClass.ContextWindowExceeded, route.Attempts[0].ErrorClass);
        Assert.Equal(0, clients["general"].Calls);
    }

    [Fact]
    public async Task A_content_filter_refusal_is_not_sent_elsewhere_unless_a_content_policy_fallback_is_configured()
    {
        var filtered = new SimulatedProviderException(400, "The response was filtered due to the prompt triggering the content management policy.");
        var options = Chain("strict", "general", "lenient");
        options.Models["strict"].Fallbacks = ["general"];
        var clients = new Dictionary<string, ScriptedChatClient>
        {
            ["strict"] = new ScriptedChatClient().Then(filtered).Then(filtered),
            ["general"] = new ScriptedChatClient(),
            ["lenient"] = new ScriptedChatClient(),
        };
        await using (var router = Router(options, clients))
        {
            var failure = await Assert.ThrowsAsync<ProviderException>(() => router.GetResponseAsync("hello", Routers.For("strict")));
            Assert.Equal(ErrorClass.ContentFiltered, failure.ErrorClass);
        }

        options.Models["strict"].ContentPolicyFallbacks = ["lenient"];
        await using (var router = Router(options, clients))
        {
            RouteInfo route = (await router.GetResponseAsync("hello", Routers.For("strict"))).GetRouteInfo()!;
            Assert.Equal("lenient", route.ServedModel);
        }

        Assert.Equal(0, clients["general"].Calls);
    }

    [Fact]
    public async Task A_cooling_alias_goes_straight_to_its_fallback_without_calling_anything()
    {
        var time = Routers.Clock();
        var options = Chain("primary", "backup");
        options.Models["primary"].Fallbacks = ["backup"];
        var primary = new ScriptedChatClient().Then(new SimulatedProviderException(429, "slow down", TimeSpan.FromSeconds(20)));
        var backup = new ScriptedChatClient();
        await using var router = Router(options, new() { ["primary"] = primary, ["backup"] = backup }, time);
        await router.GetResponseAsync("hello", Routers.For("primary"));

        RouteInfo second = (await router.GetResponseAsync("hello", Routers.For("primary"))).GetRouteInfo()!;

        Assert.Equal(1, primary.Calls);
        Assert.Equal(SkipReasons.Cooldown, second.Attempts[0].SkipReason);
        Assert.Equal(AttemptOutcome.Skipped, second.Attempts[0].Outcome);
        Assert.Equal("backup", second.ServedModel);

        time.Advance(TimeSpan.FromSeconds(20));
        RouteInfo third = (await router.GetResponseAsync("hello", Routers.For("primary"))).GetRouteInfo()!;
        Assert.Equal("primary", third.ServedModel);
        Assert.Equal(2, primary.Calls);
    }

    [Fact]
    public async Task When_every_deployment_is_cooling_down_nothing_is_called_and_the_skips_are_on_record()
    {
        var time = Routers.Clock();
        var options = Chain("only");
        var only = new ScriptedChatClient().Then(new SimulatedProviderException(429, "slow down", TimeSpan.FromMinutes(1)));
        await using var router = Router(options, new() { ["only"] = only }, time);
        await Assert.ThrowsAsync<AllDeploymentsFailedException>(() => router.GetResponseAsync("hello", Routers.For("only")));

        var refused = await Assert.ThrowsAsync<AllDeploymentsFailedException>(() => router.GetResponseAsync("hello", Routers.For("only")));

        Assert.Equal(1, only.Calls);
        RouteAttempt skipped = Assert.Single(refused.Attempts);
        Assert.Equal(SkipReasons.Cooldown, skipped.SkipReason);
        Assert.Contains("only via only/only-model: skipped (cooldown)", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_provider_receives_its_own_model_id_and_the_callers_options_are_left_alone()
    {
        var a = new ScriptedChatClient();
        await using var router = Router(Chain("a"), new() { ["a"] = a });
        var options = new ChatOptions { ModelId = "a", Temperature = 0.2f, AdditionalProperties = new() { ["x"] = 1 } };

        await router.GetResponseAsync("hello", options);

        ChatOptions sent = Assert.Single(a.SeenOptions)!;
        Assert.Equal("a-model", sent.ModelId);
        Assert.Equal(0.2f, sent.Temperature);
        Assert.Equal("a", options.ModelId);
        Assert.NotSame(options, sent);
    }

    [Fact]
    public async Task A_one_shot_message_sequence_can_be_sent_to_a_fallback()
    {
        var options = Chain("a", "b");
        options.Models["a"].Fallbacks = ["b"];
        var a = new ScriptedChatClient().Then(new TimeoutException());
        var b = new ScriptedChatClient();
        await using var router = Router(options, new() { ["a"] = a, ["b"] = b });

        ChatResponse response = await router.GetResponseAsync(OneShot(), Routers.For("a"));

        Assert.Equal("b", response.GetRouteInfo()!.ServedModel);

        static IEnumerable<ChatMessage> OneShot()
        {
            yield return new ChatMessage(ChatRole.User, "hello");
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("A")]
    [InlineData(" a")]
    [InlineData("a ")]
    [InlineData("a\t")]
    [InlineData("a\u200B")]
    [InlineData("\u0430")]
    public async Task Names_are_matched_exactly_and_anything_else_is_an_unknown_model(string? requested)
    {
        var a = new ScriptedChatClient();
        await using var router = Router(Chain("a"), new() { ["a"] = a });

        var failure = await Assert.ThrowsAsync<UnknownModelException>(() => router.GetResponseAsync("hello", Routers.For(requested)));

        Assert.Equal(ReasonCodes.UnknownModel, failure.ReasonCode);
        Assert.Equal(RouteStatus.Rejected, failure.Route!.Status);
        Assert.Equal(requested, failure.Model);
        Assert.Equal(0, a.Calls);
        Assert.DoesNotContain('\u200B', failure.Message);
    }

    [Fact]
    public async Task A_hostile_model_name_is_cut_and_escaped_in_the_message()
    {
        await using var router = Router(Chain("a"), new() { ["a"] = new ScriptedChatClient() });
        string name = "x\r\nINFO forged log line" + new string('y', 10_000);

        var failure = await Assert.ThrowsAsync<UnknownModelException>(() => router.GetResponseAsync("hello", Routers.For(name)));

        Assert.DoesNotContain("\n", failure.Message, StringComparison.Ordinal);
        Assert.True(failure.Message.Length < 200, failure.Message);
    }

    [Fact]
    public async Task Caller_cancellation_propagates_and_is_not_a_failure()
    {
        var time = Routers.Clock();
        var options = new LlmRouterOptions();
        options.Providers["slow"] = Routers.Simulated("eu", p => p.Latency = TimeSpan.FromSeconds(10));
        options.Providers["backup"] = Routers.Simulated();
        options.Models["chat"] = Routers.Model(("slow", "sim"));
        options.Models["chat"].Fallbacks = ["spare"];
        options.Models["spare"] = Routers.Model(("backup", "sim"));
        await using var router = Routers.Create(options, time);
        using var cancellation = new CancellationTokenSource();

        Task<ChatResponse> call = router.GetResponseAsync("hello", Routers.For("chat"), cancellation.Token);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        DeploymentHealth health = router.Services.GetRequiredService<DeploymentHealthRegistry>().Get("slow", "sim");
        Assert.Equal(0, health.InFlight);
        Assert.Equal(0, health.RecentFailures);
    }
}
