using LlmRouter.Tests.Costs;
using LlmRouter.Tests.Support;
using Microsoft.Extensions.AI;

namespace LlmRouter.Tests.Policies;

/// <summary>Virtual keys: who is asking, deny by default, and the whitelist of models and regions on everything actually sent.</summary>
public class KeyPolicyTests
{
    [Fact]
    public async Task A_key_may_use_the_models_its_patterns_match_and_the_route_names_key_and_tenant()
    {
        await using var router = PolicyRouter.Create();

        RouteInfo small = (await router.AskAsync(PolicyRouter.ClientKey, "mistral-eu-small")).GetRouteInfo()!;
        RouteInfo haiku = (await router.AskAsync(PolicyRouter.ClientKey, "claude-haiku-eu")).GetRouteInfo()!;

        Assert.Equal((RouteStatus.Served, "eu2", "eu"), (small.Status, small.Provider, small.Region));
        Assert.Equal((RouteStatus.Served, "eu"), (haiku.Status, haiku.Provider));
        Assert.Equal(PolicyRouter.ClientKey, small.Key);
        Assert.Equal("acme", small.Tenant);
    }

    [Fact]
    public async Task A_model_outside_the_whitelist_is_refused_before_any_provider_is_contacted_and_is_on_record()
    {
        await using var router = PolicyRouter.Create();

        var refusal = await Assert.ThrowsAsync<ModelNotAllowedException>(() => router.AskAsync(PolicyRouter.ClientKey, "gpt-4o"));

        Assert.Equal(0, router.Calls);
        Assert.Equal(ReasonCodes.ModelNotAllowed, refusal.ReasonCode);
        Assert.True(refusal.IsRejection);
        Assert.Equal("gpt-4o", refusal.Model);
        Assert.Equal("The caller's key may not use model 'gpt-4o'.", refusal.Message);
        RouteInfo route = refusal.Route!;
        Assert.Equal((RouteStatus.Rejected, ReasonCodes.ModelNotAllowed), (route.Status, route.ReasonCode));
        Assert.Equal((PolicyRouter.ClientKey, "acme", "gpt-4o"), (route.Key, route.Tenant, route.RequestedModel));
        Assert.Empty(route.Attempts);
    }

    [Fact]
    public async Task A_fallback_target_outside_the_keys_models_is_skipped_with_the_reason_never_attempted()
    {
        await using var router = PolicyRouter.Create(options =>
        {
            options.Models["mistral-eu-large"].Fallbacks = ["gpt-4o"];
            options.Models["gpt-4o"].Fallbacks = [];
        });
        router.Providers["eu"].Then(new HttpRequestException("overloaded", null, System.Net.HttpStatusCode.ServiceUnavailable));

        var failure = await Assert.ThrowsAsync<AllDeploymentsFailedException>(() => router.AskAsync(PolicyRouter.ClientKey, "mistral-eu-large"));

        Assert.Equal(0, router.Providers["us"].Calls);
        Assert.Collection(
            failure.Attempts,
            first => Assert.Equal(("mistral-eu-large", AttemptOutcome.Failed), (first.Model, first.Outcome)),
            skipped => Assert.Equal(("gpt-4o", "us", AttemptOutcome.Skipped, SkipReasons.ModelNotAllowed), (skipped.Model, skipped.Region, skipped.Outcome, skipped.SkipReason)));
    }

    [Fact]
    public async Task A_fallback_chain_that_leads_out_of_the_keys_regions_is_skipped_never_attempted()
    {
        await using var router = PolicyRouter.Create(options => options.Models["mistral-eu-large"].Fallbacks = ["mistral-eu-offshore", "mistral-eu-small"]);
        router.Providers["eu"].Then(new TimeoutException());

        RouteInfo route = (await router.AskAsync(PolicyRouter.ClientKey, "mistral-eu-large")).GetRouteInfo()!;

        Assert.Equal(0, router.Providers["us"].Calls);
        Assert.Equal(("mistral-eu-small", "eu"), (route.ServedModel, route.Region));
        Assert.Equal(
            [("mistral-eu-large", AttemptOutcome.Failed, null), ("mistral-eu-offshore", AttemptOutcome.Skipped, SkipReasons.RegionNotAllowed), ("mistral-eu-small", AttemptOutcome.Succeeded, null)],
            route.Attempts.Select(a => (a.Model, a.Outcome, a.SkipReason)));
    }

    [Fact]
    public async Task An_allowed_model_deployed_only_outside_the_keys_regions_is_refused_with_region_not_allowed()
    {
        await using var router = PolicyRouter.Create();

        var refusal = await Assert.ThrowsAsync<ModelNotAllowedException>(() => router.AskAsync(PolicyRouter.ClientKey, "mistral-eu-offshore"));

        Assert.Equal(0, router.Calls);
        Assert.Equal(ReasonCodes.RegionNotAllowed, refusal.ReasonCode);
        Assert.Equal(RouteStatus.Rejected, refusal.Route!.Status);
        Assert.Contains("(us)", refusal.Message, StringComparison.Ordinal);
        RouteAttempt skipped = Assert.Single(refusal.Route.Attempts);
        Assert.Equal(("mistral-eu-offshore", "us", SkipReasons.RegionNotAllowed), (skipped.Model, skipped.Region, skipped.SkipReason));
    }

    [Fact]
    public async Task An_out_of_region_deployment_that_is_cooling_down_is_still_refused_as_region_not_allowed()
    {
        await using var router = PolicyRouter.Create();
        Deployment offshore = router.Router.Services.GetRoutingTable().Models["mistral-eu-offshore"].Deployments[0];
        Assert.True(offshore.Health.RecordFailure(ErrorClass.ServerError, TimeSpan.FromMinutes(5), new RoutingOptions { AllowedFailures = 0 }));
        Assert.True(offshore.Health.IsCoolingDown);

        var refusal = await Assert.ThrowsAsync<ModelNotAllowedException>(() => router.AskAsync(PolicyRouter.ClientKey, "mistral-eu-offshore"));

        Assert.Equal((ReasonCodes.RegionNotAllowed, RouteStatus.Rejected), (refusal.ReasonCode, refusal.Route!.Status));
        Assert.Equal(SkipReasons.RegionNotAllowed, Assert.Single(refusal.Route.Attempts).SkipReason);
        Assert.Equal(0, router.Calls);
    }

    [Fact]
    public async Task An_allowed_alias_deployed_only_outside_the_keys_regions_goes_on_along_its_fallback_chain()
    {
        await using var router = PolicyRouter.Create(options => options.Keys["eu-only"] = new KeyOptions { Models = ["gpt-4o", "mistral-eu-*"], Regions = ["eu"] });

        RouteInfo route = (await router.AskAsync("eu-only", "gpt-4o")).GetRouteInfo()!;

        Assert.Equal(0, router.Providers["us"].Calls);
        Assert.Equal(("gpt-4o", "mistral-eu-large", "eu"), (route.RequestedModel, route.ServedModel, route.Region));
        Assert.Equal(
            [("gpt-4o", AttemptOutcome.Skipped, SkipReasons.RegionNotAllowed), ("mistral-eu-large", AttemptOutcome.Succeeded, null)],
            route.Attempts.Select(a => (a.Model, a.Outcome, a.SkipReason)));
    }

    [Fact]
    public async Task A_deployment_outside_the_keys_regions_is_skipped_and_the_alias_served_by_one_inside()
    {
        await using var router = PolicyRouter.Create(options => options.Models["mistral-eu-large"].Deployments.Insert(0, new DeploymentOptions { Provider = "us", Model = "mistral-large-us", Weight = 100 }));

        for (int i = 0; i < 5; i++)
        {
            RouteInfo route = (await router.AskAsync(PolicyRouter.ClientKey, "mistral-eu-large")).GetRouteInfo()!;
            Assert.Equal("eu", route.Region);
            Assert.Contains(route.Attempts, a => a.SkipReason == SkipReasons.RegionNotAllowed && a.Region == "us");
        }

        Assert.Equal(0, router.Providers["us"].Calls);
    }

    [Fact]
    public async Task A_key_with_every_region_may_reach_the_us_but_still_only_its_models()
    {
        await using var router = PolicyRouter.Create(options => options.Keys["global"] = new KeyOptions { Models = ["gpt-4o"], Regions = ["*"] });

        RouteInfo route = (await router.AskAsync("global", "gpt-4o")).GetRouteInfo()!;
        await Assert.ThrowsAsync<ModelNotAllowedException>(() => router.AskAsync("global", "mistral-eu-large"));

        Assert.Equal("us", route.Region);
        Assert.Equal(1, router.Calls);
    }

    [Fact]
    public async Task A_key_without_model_patterns_may_use_nothing()
    {
        await using var router = PolicyRouter.Create(options => options.Keys["suspended"] = new KeyOptions());

        var refusal = await Assert.ThrowsAsync<ModelNotAllowedException>(() => router.AskAsync("suspended", "mistral-eu-large"));

        Assert.Equal(ReasonCodes.ModelNotAllowed, refusal.ReasonCode);
        Assert.Equal(0, router.Calls);
    }

    [Fact]
    public async Task Without_a_key_a_request_is_refused_when_keys_are_configured()
    {
        await using var router = PolicyRouter.Create();

        var refusal = await Assert.ThrowsAsync<UnknownKeyException>(() => router.AskAsync(key: null, "mistral-eu-large"));

        Assert.Equal(0, router.Calls);
        Assert.False(refusal.KeyGiven);
        Assert.Equal(ReasonCodes.UnknownKey, refusal.ReasonCode);
        Assert.Equal(RouteStatus.Rejected, refusal.Route!.Status);
        Assert.Null(refusal.Route.Key);
    }

    [Fact]
    public async Task An_explicit_anonymous_key_serves_requests_without_a_key_under_its_own_policy()
    {
        await using var router = PolicyRouter.Create(options =>
        {
            options.Keys["public"] = new KeyOptions { Models = ["assistant-ch"], Regions = ["ch"] };
            options.AnonymousKey = "public";
        });

        RouteInfo route = (await router.AskAsync(key: null, "assistant-ch")).GetRouteInfo()!;
        var refusal = await Assert.ThrowsAsync<ModelNotAllowedException>(() => router.AskAsync(key: null, "mistral-eu-large"));

        Assert.Equal(("public", null, "ch"), (route.Key, route.Tenant, route.Region));
        Assert.Equal("public", refusal.Route!.Key);
        Assert.Equal(1, router.Calls);
    }

    [Theory]
    [InlineData("unknown")]
    [InlineData("Client-Chat")]
    [InlineData("CLIENT-CHAT")]
    [InlineData(" client-chat")]
    [InlineData("client-chat ")]
    [InlineData("client-chat\t")]
    [InlineData("client-chat\u200b")]
    [InlineData("сlient-chat")] // Cyrillic с
    [InlineData("client*")]
    public async Task An_unknown_key_is_refused_and_the_message_does_not_quote_it(string key)
    {
        await using var router = PolicyRouter.Create();

        var refusal = await Assert.ThrowsAsync<UnknownKeyException>(() => router.AskAsync(key, "mistral-eu-large"));

        Assert.Equal(0, router.Calls);
        Assert.True(refusal.KeyGiven);
        Assert.Equal(ReasonCodes.UnknownKey, refusal.ReasonCode);
        Assert.Equal("The virtual key presented with the request is not configured.", refusal.Message);
        Assert.Null(refusal.Route!.Key);
    }

    [Fact]
    public async Task A_key_entry_that_is_not_a_string_is_an_unknown_key()
    {
        await using var router = PolicyRouter.Create();
        var options = new ChatOptions { ModelId = "mistral-eu-large", AdditionalProperties = new() { ["LlmRouter.Key"] = 42 } };

        await Assert.ThrowsAsync<UnknownKeyException>(() => router.Router.GetResponseAsync("hi", options));

        Assert.Equal(0, router.Calls);
    }

    [Fact]
    public void A_configuration_without_any_key_does_not_start_because_every_request_would_be_refused()
    {
        var options = new LlmRouterOptions();
        options.Providers["local"] = Routers.Simulated();
        options.Models["chat"] = Routers.Model(("local", "sim"));

        var failure = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => LlmRouterClient.Create(options));

        Assert.Contains(failure.Failures, f => f.StartsWith("LlmRouter:Keys: no key is configured, so every request would be refused (deny by default)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Streams_are_refused_the_same_way_before_any_provider_is_contacted()
    {
        await using var router = PolicyRouter.Create();

        var refusal = await Assert.ThrowsAsync<ModelNotAllowedException>(async () =>
        {
            await foreach (ChatResponseUpdate update in router.Router.GetStreamingResponseAsync("hi", PolicyRouter.As(PolicyRouter.ClientKey, "gpt-4o")))
            {
                Assert.Fail("no update expected");
            }
        });

        Assert.Equal(0, router.Calls);
        Assert.True(refusal.Route!.Streaming);
        Assert.Equal(RouteStatus.Rejected, refusal.Route.Status);
    }

    [Fact]
    public async Task A_streamed_request_on_an_allowed_model_carries_the_key_on_its_route()
    {
        await using var router = PolicyRouter.Create();

        ChatResponse response = await router.Router.GetStreamingResponseAsync("hi", PolicyRouter.As(PolicyRouter.ClientKey, "claude-haiku-eu")).ToChatResponseAsync();

        RouteInfo route = response.GetRouteInfo()!;
        Assert.Equal((RouteStatus.Served, PolicyRouter.ClientKey, "acme"), (route.Status, route.Key, route.Tenant));
    }

    [Fact]
    public async Task Inside_another_router_layer_a_stream_is_admitted_on_its_first_read_and_cancelled_by_its_enumerators_token()
    {
        await using var router = PolicyRouter.Create();
        IChatClient dispatch = router.Router.Services.GetService(typeof(ProviderDispatchChatClient)) as IChatClient ?? throw new InvalidOperationException();
        IChatClient pipeline = new ChatClientBuilder(dispatch)
            .UseRateLimiting()
            .Use(inner => new TokenOnlyOnTheEnumerator(inner))
            .UseKeyPolicy()
            .UseModelRouting()
            .Build(router.Router.Services);
        using var caller = new CancellationTokenSource();

        IAsyncEnumerable<ChatResponseUpdate> refused = pipeline.GetStreamingResponseAsync("hi", PolicyRouter.As(PolicyRouter.ClientKey, "gpt-4o"));
        IAsyncEnumerator<ChatResponseUpdate> notRead = refused.GetAsyncEnumerator();
        await notRead.DisposeAsync();
        await Assert.ThrowsAsync<ModelNotAllowedException>(async () => await refused.GetAsyncEnumerator().MoveNextAsync());
        Assert.Equal(0, router.Calls);

        ScriptedChatClient provider = router.Providers["eu"];
        await foreach (ChatResponseUpdate update in pipeline.GetStreamingResponseAsync("hi", PolicyRouter.As(PolicyRouter.ClientKey, "claude-haiku-eu")).WithCancellation(caller.Token))
        {
            Assert.False(provider.LastToken.IsCancellationRequested);
            await caller.CancelAsync();
            Assert.True(provider.LastToken.IsCancellationRequested);
            break;
        }

        Assert.Equal(1, router.Calls);
    }

    /// <summary>A middleware that passes the caller's token to the stream's enumerator only, not to the request.</summary>
    private sealed class TokenOnlyOnTheEnumerator(IChatClient inner) : DelegatingChatClient(inner)
    {
        public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await foreach (ChatResponseUpdate update in base.GetStreamingResponseAsync(messages, options, CancellationToken.None).WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                yield return update;
            }
        }
    }

    [Fact]
    public async Task The_key_layer_works_alone_on_a_chat_client_builder()
    {
        await using var router = PolicyRouter.Create();
        IChatClient pipeline = new ChatClientBuilder(router.Router.Services.GetService(typeof(ProviderDispatchChatClient)) as IChatClient ?? throw new InvalidOperationException())
            .UseKeyPolicy()
            .UseModelRouting()
            .Build(router.Router.Services);

        await Assert.ThrowsAsync<ModelNotAllowedException>(() => pipeline.GetResponseAsync("hi", PolicyRouter.As(PolicyRouter.ClientKey, "gpt-4o")));
        RouteInfo route = (await pipeline.GetResponseAsync("hi", PolicyRouter.As(PolicyRouter.ClientKey, "mistral-eu-small"))).GetRouteInfo()!;

        Assert.Equal(PolicyRouter.ClientKey, route.Key);
        Assert.Equal(1, router.Calls);
    }
}
