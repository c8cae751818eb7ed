using Microsoft.Extensions.AI;

namespace LlmRouter.Tests.Policies;

/// <summary>Who is asking: the ambient context an application sets once per HTTP request, and its precedence.</summary>
public class RouterContextTests
{
    [Fact]
    public async Task The_ambient_key_user_and_tags_apply_to_requests_made_inside_the_scope()
    {
        await using var router = PolicyRouter.Create();

        RouteInfo route;
        using (RouterContext.Begin(PolicyRouter.ClientKey, user: "alice@acme", tags: ["web", "ledger"]))
        {
            route = (await router.AskAsync(key: null, "mistral-eu-large")).GetRouteInfo()!;
        }

        Assert.Equal((PolicyRouter.ClientKey, "acme", "alice@acme"), (route.Key, route.Tenant, route.User));
        Assert.Equal(["web", "ledger"], route.Tags);
        Assert.Null(RouterContext.Current);
        await Assert.ThrowsAsync<UnknownKeyException>(() => router.AskAsync(key: null, "mistral-eu-large"));
    }

    [Fact]
    public async Task A_key_on_the_request_wins_over_the_ambient_key_and_the_ambient_user_and_tags_still_apply()
    {
        await using var router = PolicyRouter.Create(options => options.Keys["batch"] = new KeyOptions { Models = ["assistant-ch"], Regions = ["ch"] });

        using (RouterContext.Begin(PolicyRouter.ClientKey, user: "alice@acme", tags: ["web"]))
        {
            RouteInfo route = (await router.AskAsync("batch", "assistant-ch")).GetRouteInfo()!;
            var refusal = await Assert.ThrowsAsync<ModelNotAllowedException>(() => router.AskAsync("batch", "mistral-eu-large"));

            Assert.Equal(("batch", null, "alice@acme"), (route.Key, route.Tenant, route.User));
            Assert.Equal(["web"], route.Tags);
            Assert.Equal("batch", refusal.Route!.Key);
        }
    }

    [Fact]
    public async Task An_ambient_key_that_is_unknown_is_refused_even_when_an_anonymous_key_exists()
    {
        await using var router = PolicyRouter.Create(options =>
        {
            options.Keys["public"] = new KeyOptions { Models = ["*"], Regions = ["*"] };
            options.AnonymousKey = "public";
        });

        using (RouterContext.Begin("revoked-key"))
        {
            await Assert.ThrowsAsync<UnknownKeyException>(() => router.AskAsync(key: null, "gpt-4o"));
        }

        Assert.Equal(0, router.Calls);
    }

    [Fact]
    public async Task A_nested_scope_replaces_the_context_until_it_is_disposed()
    {
        using (RouterContext.Begin("outer", "alice"))
        {
            using (RouterContext.Begin("inner", "bob"))
            {
                Assert.Equal(("inner", "bob"), (RouterContext.Current!.Key, RouterContext.Current.User));
            }

            Assert.Equal(("outer", "alice"), (RouterContext.Current!.Key, RouterContext.Current.User));
            await Task.Run(() => Assert.Equal("outer", RouterContext.Current!.Key));
        }

        Assert.Null(RouterContext.Current);
    }

    [Fact]
    public Task Disposing_an_outer_scope_out_of_order_does_not_clobber_the_inner_one() =>

        // On a task of its own, so the contexts left behind end with it.
        Task.Run(() =>
        {
            IDisposable outer = RouterContext.Begin("outer");
            IDisposable inner = RouterContext.Begin("inner");

            outer.Dispose();
            Assert.Equal("inner", RouterContext.Current!.Key);
            inner.Dispose();
            inner.Dispose();

            Assert.Equal("outer", RouterContext.Current?.Key);
        });

    [Fact]
    public async Task A_stream_takes_the_context_current_when_it_is_requested_not_when_it_is_read()
    {
        await using var router = PolicyRouter.Create();
        IAsyncEnumerable<ChatResponseUpdate> stream;
        using (RouterContext.Begin(PolicyRouter.ClientKey, "alice@acme"))
        {
            stream = router.Router.GetStreamingResponseAsync("hi", new ChatOptions { ModelId = "claude-haiku-eu" });
        }

        ChatResponse response = await stream.ToChatResponseAsync();

        Assert.Equal((PolicyRouter.ClientKey, "alice@acme"), (response.GetRouteInfo()!.Key, response.GetRouteInfo()!.User));
    }

    [Fact]
    public void The_context_does_not_show_its_key()
    {
        using (RouterContext.Begin("client-chat-secret-7f3a", "alice", ["web"]))
        {
            string text = RouterContext.Current!.ToString();

            Assert.DoesNotContain("client-chat-secret-7f3a", text, StringComparison.Ordinal);
            Assert.Equal("RouterContext(key: set, user: alice, tags: 1)", text);
        }
    }

    [Fact]
    public void Empty_keys_and_tags_are_refused_at_the_boundary()
    {
        Assert.Throws<ArgumentException>(() => RouterContext.Begin(string.Empty));
        Assert.Throws<ArgumentException>(() => RouterContext.Begin("k", tags: ["web", ""]));
        Assert.Throws<ArgumentException>(() => new ChatOptions().WithRouterKey(string.Empty));
        Assert.Null(RouterContext.Current);
    }

    [Fact]
    public async Task The_callers_options_keep_their_key_for_the_next_request_and_the_provider_never_sees_it()
    {
        await using var router = PolicyRouter.Create();
        ChatOptions options = PolicyRouter.As(PolicyRouter.ClientKey, "mistral-eu-large");

        await router.Router.GetResponseAsync("one", options);
        await router.Router.GetResponseAsync("two", options);

        Assert.Equal(PolicyRouter.ClientKey, options.AdditionalProperties!["LlmRouter.Key"]);
        Assert.Equal(2, router.Providers["eu"].SeenOptions.Count);
        Assert.All(router.Providers["eu"].SeenOptions, seen => Assert.Null(seen!.AdditionalProperties));
    }

    [Fact]
    public async Task Other_additional_properties_still_reach_the_provider()
    {
        await using var router = PolicyRouter.Create();
        ChatOptions options = PolicyRouter.As(PolicyRouter.ClientKey, "mistral-eu-large");
        options.AdditionalProperties!["safe_prompt"] = true;

        await router.Router.GetResponseAsync("hi", options);

        ChatOptions seen = Assert.Single(router.Providers["eu"].SeenOptions)!;
        Assert.Equal(["safe_prompt"], seen.AdditionalProperties!.Keys);
    }
}
