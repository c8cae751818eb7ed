using LlmRouter.Tests.Support;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;

namespace LlmRouter.Tests.Routing;

/// <summary>The fallback layer against providers answering over HTTP, through the real OpenAI SDK.</summary>
public sealed class FallbackOverHttpTests
{
    private static readonly ChatOptions Primary = new() { ModelId = "primary" };

    public static TheoryData<WireBehavior, int, ErrorClass> TransientErrors => new()
    {
        { WireBehavior.RateLimited(), 429, ErrorClass.RateLimited },
        { WireBehavior.ServerError(), 500, ErrorClass.ServerError },
        { WireBehavior.ServiceUnavailable(), 503, ErrorClass.ServerError },
    };

    [Theory]
    [MemberData(nameof(TransientErrors))]
    public async Task Falls_back_to_the_next_model_on_a_transient_error(WireBehavior error, int status, ErrorClass errorClass)
    {
        await using var primary = await OpenAIWireServer.StartAsync();
        await using var secondary = await OpenAIWireServer.StartAsync();
        primary.RespondWith(error);
        secondary.RespondWith(WireBehavior.Reply("from the fallback"));
        await using var router = LlmRouterClient.Create(Routers.OpenAccess(WireProviders.PrimaryAndSecondary(primary, secondary)));

        ChatResponse response = await router.GetResponseAsync("hi", Primary);

        Assert.Equal("from the fallback", response.Text);
        RouteInfo route = response.GetRouteInfo()!;
        Assert.Equal(RouteStatus.Served, route.Status);
        Assert.Equal("primary", route.RequestedModel);
        Assert.Equal("secondary", route.ServedModel);
        Assert.Equal("gpt-secondary", route.ProviderModel);
        Assert.Collection(
            route.Attempts,
            first =>
            {
                Assert.Equal("primary", first.Model);
                Assert.Equal(AttemptOutcome.Failed, first.Outcome);
                Assert.Equal(errorClass, first.ErrorClass);
                Assert.Equal(status, first.StatusCode);
            },
            second =>
            {
                Assert.Equal("secondary", second.Model);
                Assert.Equal(AttemptOutcome.Succeeded, second.Outcome);
                Assert.Equal(ErrorClass.None, second.ErrorClass);
            });
        Assert.Equal(1, primary.RequestCount);
        Assert.Equal(1, secondary.RequestCount);
    }

    [Fact]
    public async Task Falls_back_to_the_next_model_on_429_and_records_the_retry_after()
    {
        await using var primary = await OpenAIWireServer.StartAsync();
        await using var secondary = await OpenAIWireServer.StartAsync();
        primary.RespondWith(WireBehavior.RateLimited(retryAfter: TimeSpan.FromSeconds(20)));
        await using var router = LlmRouterClient.Create(Routers.OpenAccess(WireProviders.PrimaryAndSecondary(primary, secondary)));

        RouteInfo route = (await router.GetResponseAsync("hi", Primary)).GetRouteInfo()!;

        Assert.Equal("secondary", route.ServedModel);
        Assert.Equal(TimeSpan.FromSeconds(20), route.Attempts[0].RetryAfter);
        Assert.Contains("rate_limit_exceeded", route.Attempts[0].Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Falls_back_when_the_provider_is_slower_than_its_timeout()
    {
        await using var primary = await OpenAIWireServer.StartAsync();
        await using var secondary = await OpenAIWireServer.StartAsync();
        primary.RespondWith(WireBehavior.Hang());
        LlmRouterOptions options = WireProviders.PrimaryAndSecondary(primary, secondary);
        options.Providers["a"].Timeout = TimeSpan.FromSeconds(30);
        FakeTimeProvider time = Routers.Clock();
        await using var router = Routers.Create(options, time);

        // The HTTP timeout runs on the router's clock: the request hangs until that clock reaches it.
        Task<ChatResponse> call = router.GetResponseAsync("hi", Primary);
        await primary.WaitForRequestsAsync(1);
        time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(call.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        RouteInfo route = (await call.WaitAsync(TimeSpan.FromSeconds(30))).GetRouteInfo()!;

        Assert.Equal("secondary", route.ServedModel);
        RouteAttempt timedOut = route.Attempts[0];
        Assert.Equal(AttemptOutcome.Failed, timedOut.Outcome);
        Assert.Equal(ErrorClass.Timeout, timedOut.ErrorClass);
        Assert.Null(timedOut.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(30), timedOut.Duration);
        Assert.Equal(AttemptOutcome.Succeeded, route.Attempts[1].Outcome);
    }

    [Fact]
    public async Task Falls_back_when_a_response_stalls_after_its_headers()
    {
        await using var primary = await OpenAIWireServer.StartAsync();
        await using var secondary = await OpenAIWireServer.StartAsync();
        primary.RespondWith(WireBehavior.StallAfter(chunks: 0));
        LlmRouterOptions options = WireProviders.PrimaryAndSecondary(primary, secondary);
        options.Providers["a"].Timeout = TimeSpan.FromMilliseconds(200);
        await using var router = LlmRouterClient.Create(Routers.OpenAccess(options));

        // The guard only turns a hang into a failure; the provider's timeout is what must end the attempt.
        RouteInfo route = (await router.GetResponseAsync("hi", Primary).WaitAsync(TimeSpan.FromSeconds(10))).GetRouteInfo()!;

        Assert.Equal("secondary", route.ServedModel);
        Assert.Equal(ErrorClass.Timeout, route.Attempts[0].ErrorClass);
        Assert.InRange(route.Attempts[0].Duration, TimeSpan.FromMilliseconds(150), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Falls_back_when_the_provider_refuses_connections()
    {
        await using var secondary = await OpenAIWireServer.StartAsync();
        await using var unused = await OpenAIWireServer.StartAsync();
        LlmRouterOptions options = WireProviders.PrimaryAndSecondary(unused, secondary);
        options.Providers["a"].Endpoint = LoopbackEndpoints.Refusing();
        await using var router = LlmRouterClient.Create(Routers.OpenAccess(options));

        RouteInfo route = (await router.GetResponseAsync("hi", Primary)).GetRouteInfo()!;

        Assert.Equal("secondary", route.ServedModel);
        Assert.Equal(ErrorClass.Network, route.Attempts[0].ErrorClass);
        Assert.Null(route.Attempts[0].StatusCode);
    }

    [Fact]
    public async Task Falls_back_when_the_provider_answers_malformed_json()
    {
        await using var primary = await OpenAIWireServer.StartAsync();
        await using var secondary = await OpenAIWireServer.StartAsync();
        primary.RespondWith(WireBehavior.MalformedJson());
        await using var router = LlmRouterClient.Create(Routers.OpenAccess(WireProviders.PrimaryAndSecondary(primary, secondary)));

        RouteInfo route = (await router.GetResponseAsync("hi", Primary)).GetRouteInfo()!;

        Assert.Equal("secondary", route.ServedModel);
        Assert.Equal(ErrorClass.InvalidResponse, route.Attempts[0].ErrorClass);
    }

    [Fact]
    public async Task Falls_back_when_the_connection_drops_half_way_through_the_answer()
    {
        await using var primary = await OpenAIWireServer.StartAsync();
        await using var secondary = await OpenAIWireServer.StartAsync();
        primary.RespondWith(WireBehavior.AbortAfter(chunks: 0));
        await using var router = LlmRouterClient.Create(Routers.OpenAccess(WireProviders.PrimaryAndSecondary(primary, secondary)));

        RouteInfo route = (await router.GetResponseAsync("hi", Primary)).GetRouteInfo()!;

        Assert.Equal("secondary", route.ServedModel);
        Assert.Equal(ErrorClass.Network, route.Attempts[0].ErrorClass);
    }

    [Fact]
    public async Task Tries_the_other_deployments_of_the_model_before_its_fallbacks()
    {
        await using var first = await OpenAIWireServer.StartAsync();
        await using var second = await OpenAIWireServer.StartAsync();
        await using var fallback = await OpenAIWireServer.StartAsync();
        first.RespondWith(WireBehavior.ServiceUnavailable());
        second.RespondWith(WireBehavior.ServiceUnavailable());
        var options = new LlmRouterOptions();
        options.Providers["one"] = WireProviders.OpenAI(first);
        options.Providers["two"] = WireProviders.OpenAI(second);
        options.Providers["three"] = WireProviders.OpenAI(fallback);
        options.Models["primary"] = new ModelOptions
        {
            Deployments = [new() { Provider = "one", Model = "gpt-1" }, new() { Provider = "two", Model = "gpt-2" }],
            Fallbacks = ["secondary"],
        };
        options.Models["secondary"] = WireProviders.Alias("three", "gpt-3");
        await using var router = LlmRouterClient.Create(Routers.OpenAccess(options));

        RouteInfo route = (await router.GetResponseAsync("hi", Primary)).GetRouteInfo()!;

        Assert.Equal(["primary", "primary", "secondary"], route.Attempts.Select(a => a.Model));
        Assert.Equal([AttemptOutcome.Failed, AttemptOutcome.Failed, AttemptOutcome.Succeeded], route.Attempts.Select(a => a.Outcome));
        Assert.Equal((1, 1, 1), (first.RequestCount, second.RequestCount, fallback.RequestCount));
    }

    [Fact]
    public async Task A_caller_that_cancels_is_not_failed_over_and_the_deployment_is_not_blamed()
    {
        await using var primary = await OpenAIWireServer.StartAsync();
        await using var secondary = await OpenAIWireServer.StartAsync();
        primary.RespondWith(WireBehavior.Hang());
        LlmRouterOptions options = WireProviders.PrimaryAndSecondary(primary, secondary);
        options.Routing.AllowedFailures = 1;
        await using var router = LlmRouterClient.Create(Routers.OpenAccess(options));
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => router.GetResponseAsync("hi", Primary, cancellation.Token));

        Assert.Equal(0, secondary.RequestCount);
        var health = (DeploymentHealthRegistry)router.Services.GetService(typeof(DeploymentHealthRegistry))!;
        DeploymentHealth primaryHealth = health.Get("a", "gpt-primary");
        Assert.Equal((0, 0, false), (primaryHealth.InFlight, primaryHealth.RecentFailures, primaryHealth.IsCoolingDown));
    }

    public static TheoryData<WireBehavior, int, ErrorClass> RequestErrors => new()
    {
        { WireBehavior.BadRequest(), 400, ErrorClass.BadRequest },
        { WireBehavior.Unauthorized(), 401, ErrorClass.Authentication },
    };

    [Theory]
    [MemberData(nameof(RequestErrors))]
    public async Task Does_not_fall_back_when_the_provider_refuses_the_request_or_the_key(WireBehavior error, int status, ErrorClass errorClass)
    {
        await using var primary = await OpenAIWireServer.StartAsync();
        await using var secondary = await OpenAIWireServer.StartAsync();
        primary.RespondWith(error);
        await using var router = LlmRouterClient.Create(Routers.OpenAccess(WireProviders.PrimaryAndSecondary(primary, secondary)));

        ProviderException failure = await Assert.ThrowsAsync<ProviderException>(() => router.GetResponseAsync("hi", Primary));

        Assert.Equal(errorClass, failure.ErrorClass);
        Assert.Equal(status, failure.StatusCode);
        Assert.Equal(ReasonCodes.ProviderError, failure.ReasonCode);
        Assert.Equal(RouteStatus.Failed, failure.Route!.Status);
        Assert.Single(failure.Route.Attempts);
        Assert.Equal(1, primary.RequestCount);
        Assert.Equal(0, secondary.RequestCount);
    }

    [Fact]
    public async Task A_context_window_error_goes_to_the_context_window_fallbacks()
    {
        await using var primary = await OpenAIWireServer.StartAsync();
        await using var general = await OpenAIWireServer.StartAsync();
        await using var large = await OpenAIWireServer.StartAsync();
        primary.RespondWith(WireBehavior.ContextLengthExceeded());
        large.RespondWith(WireBehavior.Reply("from the large model"));
        LlmRouterOptions options = WithGeneralAndContextWindowFallbacks(primary, general, large);
        await using var router = LlmRouterClient.Create(Routers.OpenAccess(options));

        ChatResponse response = await router.GetResponseAsync("a very long prompt", Primary);

        Assert.Equal("from the large model", response.Text);
        RouteInfo route = response.GetRouteInfo()!;
        Assert.Equal("large", route.ServedModel);
        Assert.Equal(ErrorClass.ContextWindowExceeded, route.Attempts[0].ErrorClass);
        Assert.Equal(400, route.Attempts[0].StatusCode);
        Assert.Equal(0, general.RequestCount);
        Assert.Equal(1, large.RequestCount);
    }

    public static TheoryData<WireBehavior, int, ErrorClass> TransientErrorsMentioningTokens => new()
    {
        {
            WireBehavior.Error(
                429,
                "rate_limit_exceeded",
                "Rate limit reached for gpt-primary on tokens per min (TPM): Limit 30000, Used 29500, Requested 1200. Too many tokens; please try again in 20s.",
                type: "tokens",
                headers: new Dictionary<string, string> { ["retry-after"] = "20", ["retry-after-ms"] = "20000" }),
            429,
            ErrorClass.RateLimited
        },
        {
            WireBehavior.Error(
                503,
                null,
                "The engine is currently overloaded by requests that fill its context window, please try again later.",
                type: "server_error",
                headers: new Dictionary<string, string> { ["retry-after"] = "20" }),
            503,
            ErrorClass.ServerError
        },
    };

    [Theory]
    [MemberData(nameof(TransientErrorsMentioningTokens))]
    public async Task A_rate_limit_or_server_error_that_mentions_tokens_or_the_context_window_keeps_its_retry_after_and_the_general_fallbacks(WireBehavior error, int status, ErrorClass errorClass)
    {
        await using var primary = await OpenAIWireServer.StartAsync();
        await using var general = await OpenAIWireServer.StartAsync();
        await using var large = await OpenAIWireServer.StartAsync();
        primary.RespondWith(error);
        LlmRouterOptions options = WithGeneralAndContextWindowFallbacks(primary, general, large);
        FakeTimeProvider time = Routers.Clock();
        await using var router = Routers.Create(options, time);

        RouteInfo route = (await router.GetResponseAsync("hi", Primary)).GetRouteInfo()!;

        Assert.Equal("general", route.ServedModel);
        Assert.Equal((errorClass, (int?)status, (TimeSpan?)TimeSpan.FromSeconds(20)), (route.Attempts[0].ErrorClass, route.Attempts[0].StatusCode, route.Attempts[0].RetryAfter));
        Assert.Equal(0, large.RequestCount);
        var health = (DeploymentHealthRegistry)router.Services.GetService(typeof(DeploymentHealthRegistry))!;
        Assert.Equal(TimeSpan.FromSeconds(20), health.Get("a", "gpt-primary").CooldownRemaining);
    }

    /// <summary><c>primary</c> (provider <c>a</c>) falls back to <c>general</c> (<c>b</c>), and to <c>large</c> (<c>c</c>) when the prompt does not fit.</summary>
    private static LlmRouterOptions WithGeneralAndContextWindowFallbacks(OpenAIWireServer primary, OpenAIWireServer general, OpenAIWireServer large)
    {
        var options = new LlmRouterOptions();
        options.Providers["a"] = WireProviders.OpenAI(primary);
        options.Providers["b"] = WireProviders.OpenAI(general);
        options.Providers["c"] = WireProviders.OpenAI(large);
        options.Models["primary"] = WireProviders.Alias("a", "gpt-primary", "general");
        options.Models["primary"].ContextWindowFallbacks = ["large"];
        options.Models["general"] = WireProviders.Alias("b", "gpt-general");
        options.Models["large"] = WireProviders.Alias("c", "gpt-large");
        return options;
    }

    [Fact]
    public async Task A_content_filter_error_goes_to_the_content_policy_fallbacks_when_configured()
    {
        await using var primary = await OpenAIWireServer.StartAsync();
        await using var general = await OpenAIWireServer.StartAsync();
        await using var lenient = await OpenAIWireServer.StartAsync();
        primary.RespondWith(WireBehavior.ContentFiltered());
        var options = new LlmRouterOptions();
        options.Providers["a"] = WireProviders.OpenAI(primary);
        options.Providers["b"] = WireProviders.OpenAI(general);
        options.Providers["c"] = WireProviders.OpenAI(lenient);
        options.Models["primary"] = WireProviders.Alias("a", "gpt-primary", "general");
        options.Models["primary"].ContentPolicyFallbacks = ["lenient"];
        options.Models["general"] = WireProviders.Alias("b", "gpt-general");
        options.Models["lenient"] = WireProviders.Alias("c", "gpt-lenient");
        await using var router = LlmRouterClient.Create(Routers.OpenAccess(options));

        RouteInfo route = (await router.GetResponseAsync("hi", Primary)).GetRouteInfo()!;

        Assert.Equal("lenient", route.ServedModel);
        Assert.Equal(ErrorClass.ContentFiltered, route.Attempts[0].ErrorClass);
        Assert.Equal(0, general.RequestCount);
        Assert.Equal(1, lenient.RequestCount);
    }

    [Fact]
    public async Task A_content_filter_error_fails_fast_without_content_policy_fallbacks()
    {
        await using var primary = await OpenAIWireServer.StartAsync();
        await using var secondary = await OpenAIWireServer.StartAsync();
        primary.RespondWith(WireBehavior.ContentFiltered());
        await using var router = LlmRouterClient.Create(Routers.OpenAccess(WireProviders.PrimaryAndSecondary(primary, secondary)));

        ProviderException failure = await Assert.ThrowsAsync<ProviderException>(() => router.GetResponseAsync("hi", Primary));

        Assert.Equal(ErrorClass.ContentFiltered, failure.ErrorClass);
        Assert.Equal(0, secondary.RequestCount);
    }

    [Fact]
    public async Task A_content_filter_error_on_an_alias_without_any_fallbacks_fails_fast_as_what_it_is()
    {
        await using var primary = await OpenAIWireServer.StartAsync();
        primary.RespondWith(WireBehavior.ContentFiltered());
        var options = new LlmRouterOptions();
        options.Providers["a"] = WireProviders.OpenAI(primary);
        options.Models["primary"] = WireProviders.Alias("a", "gpt-primary");
        await using var router = LlmRouterClient.Create(Routers.OpenAccess(options));

        ProviderException failure = await Assert.ThrowsAsync<ProviderException>(() => router.GetResponseAsync("hi", Primary));

        Assert.Equal((ErrorClass.ContentFiltered, ReasonCodes.ProviderError), (failure.ErrorClass, failure.ReasonCode));
        Assert.Equal(1, primary.RequestCount);
    }

    [Fact]
    public async Task When_every_model_fails_the_exception_lists_every_attempt()
    {
        await using var primary = await OpenAIWireServer.StartAsync();
        await using var secondary = await OpenAIWireServer.StartAsync();
        primary.RespondWith(WireBehavior.ServerError());
        secondary.RespondWith(WireBehavior.RateLimited());
        await using var router = LlmRouterClient.Create(Routers.OpenAccess(WireProviders.PrimaryAndSecondary(primary, secondary)));

        AllDeploymentsFailedException failure = await Assert.ThrowsAsync<AllDeploymentsFailedException>(() => router.GetResponseAsync("hi", Primary));

        Assert.Equal("primary", failure.Model);
        Assert.Equal(ReasonCodes.AllDeploymentsFailed, failure.ReasonCode);
        Assert.Equal([(ErrorClass.ServerError, 500), (ErrorClass.RateLimited, 429)], failure.Attempts.Select(a => (a.ErrorClass, a.StatusCode ?? 0)));
        Assert.Null(failure.Route!.ServedModel);
        Assert.Equal(RouteStatus.Failed, failure.Route.Status);
    }
}
