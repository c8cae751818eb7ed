using LlmRouter.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;

namespace LlmRouter.Tests.Policies;

/// <summary>
/// Requests per minute, tokens per minute and concurrent requests, per key and per tenant — under concurrency, on a
/// fake clock: nothing sleeps, and time moves only when a spec says so.
/// </summary>
public sealed class RateLimitingTests
{
    private readonly FakeTimeProvider _time = Routers.Clock();

    private sealed record Setup(LlmRouterClient Router, MeteredChatClient Provider) : IAsyncDisposable
    {
        public Task<ChatResponse> AskAsync(string key, int? maxOutputTokens = null) =>
            Router.GetResponseAsync("Summarize the ledger.", new ChatOptions { ModelId = "ledger", MaxOutputTokens = maxOutputTokens }.WithRouterKey(key));

        public ValueTask DisposeAsync() => Router.DisposeAsync();
    }

    private Setup Create(Action<LlmRouterOptions> configure)
    {
        var options = new LlmRouterOptions();
        options.Providers["metered"] = new ProviderOptions { Kind = ProviderKind.Custom, Region = "ch" };
        options.Models["ledger"] = Routers.Model(("metered", "ledger-model"));
        options.Tenants["acme"] = new TenantOptions();
        options.Keys["alpha"] = new KeyOptions { Tenant = "acme", Models = ["ledger"], Regions = ["ch"] };
        options.Keys["beta"] = new KeyOptions { Tenant = "acme", Models = ["ledger"], Regions = ["ch"] };
        configure(options);
        var provider = new MeteredChatClient();
        return new Setup(Routers.Create(options, _time, b => b.AddProvider("metered", provider)), provider);
    }

    private static async Task<(int Served, List<RateLimitExceededException> Refused)> Concurrently(int count, Func<int, Task> call)
    {
        var refused = new List<RateLimitExceededException>();
        int served = 0;
        Task[] calls = [.. Enumerable.Range(0, count).Select(i => Task.Run(async () =>
        {
            try
            {
                await call(i);
                Interlocked.Increment(ref served);
            }
            catch (RateLimitExceededException refusal)
            {
                lock (refused)
                {
                    refused.Add(refusal);
                }
            }
        }))];
        await Task.WhenAll(calls);
        return (served, refused);
    }

    [Fact]
    public async Task A_keys_requests_per_minute_hold_under_concurrency_and_the_refusal_says_when_to_retry()
    {
        await using Setup setup = Create(o => o.Keys["alpha"].RateLimit = new RateLimitOptions { RequestsPerMinute = 5 });

        (int served, List<RateLimitExceededException> refused) = await Concurrently(40, _ => setup.AskAsync("alpha"));

        Assert.Equal(5, served);
        Assert.Equal(5, setup.Provider.Calls);
        Assert.Equal(35, refused.Count);
        RateLimitExceededException refusal = refused[0];
        Assert.Equal((RateLimitScope.Key, RateLimitKind.RequestsPerMinute, ReasonCodes.RateLimited), (refusal.Scope, refusal.Limit, refusal.ReasonCode));
        Assert.Equal(TimeSpan.FromSeconds(12), refusal.RetryAfter);
        Assert.Equal(RouteStatus.Rejected, refusal.Route!.Status);
        Assert.Equal("Rate limit exceeded: the key's limit of 5 requests per minute; retry after 12 s.", refusal.Message);
    }

    [Fact]
    public async Task The_bucket_refills_with_the_clock_exactly_when_the_refusal_said()
    {
        await using Setup setup = Create(o => o.Keys["alpha"].RateLimit = new RateLimitOptions { RequestsPerMinute = 5 });
        for (int i = 0; i < 5; i++)
        {
            await setup.AskAsync("alpha");
        }

        var refusal = await Assert.ThrowsAsync<RateLimitExceededException>(() => setup.AskAsync("alpha"));
        _time.Advance(refusal.RetryAfter!.Value - TimeSpan.FromMilliseconds(1));
        await Assert.ThrowsAsync<RateLimitExceededException>(() => setup.AskAsync("alpha"));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        await setup.AskAsync("alpha");
        await Assert.ThrowsAsync<RateLimitExceededException>(() => setup.AskAsync("alpha"));
        _time.Advance(TimeSpan.FromMinutes(5));
        (int served, _) = await Concurrently(20, _ => setup.AskAsync("alpha"));

        Assert.Equal(5, served);
        Assert.Equal(11, setup.Provider.Calls);
    }

    [Fact]
    public async Task A_tenants_requests_per_minute_are_shared_by_its_keys_under_concurrency()
    {
        await using Setup setup = Create(o => o.Tenants["acme"].RateLimit = new RateLimitOptions { RequestsPerMinute = 7 });

        (int served, List<RateLimitExceededException> refused) = await Concurrently(40, i => setup.AskAsync(i % 2 == 0 ? "alpha" : "beta"));

        Assert.Equal(7, served);
        Assert.Equal(33, refused.Count);
        Assert.All(refused, r => Assert.Equal((RateLimitScope.Tenant, RateLimitKind.RequestsPerMinute), (r.Scope, r.Limit)));
        Assert.Contains("the tenant's limit of 7 requests per minute", refused[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_refused_by_its_key_takes_nothing_from_its_tenant()
    {
        await using Setup setup = Create(o =>
        {
            o.Keys["alpha"].RateLimit = new RateLimitOptions { RequestsPerMinute = 1 };
            o.Tenants["acme"].RateLimit = new RateLimitOptions { RequestsPerMinute = 3 };
        });

        await setup.AskAsync("alpha");
        for (int i = 0; i < 10; i++)
        {
            var refusal = await Assert.ThrowsAsync<RateLimitExceededException>(() => setup.AskAsync("alpha"));
            Assert.Equal(RateLimitScope.Key, refusal.Scope);
        }

        await setup.AskAsync("beta");
        await setup.AskAsync("beta");
        var tenant = await Assert.ThrowsAsync<RateLimitExceededException>(() => setup.AskAsync("beta"));

        Assert.Equal(RateLimitScope.Tenant, tenant.Scope);
        Assert.Equal(3, setup.Provider.Calls);
    }

    [Fact]
    public async Task A_request_refused_by_its_tenant_gives_its_key_back_what_it_took()
    {
        await using Setup setup = Create(o =>
        {
            o.Keys["alpha"].RateLimit = new RateLimitOptions { RequestsPerMinute = 2, ConcurrentRequests = 1 };
            o.Tenants["acme"].RateLimit = new RateLimitOptions { RequestsPerMinute = 1 };
        });

        await setup.AskAsync("beta");
        for (int i = 0; i < 5; i++)
        {
            Assert.Equal(RateLimitScope.Tenant, (await Assert.ThrowsAsync<RateLimitExceededException>(() => setup.AskAsync("alpha"))).Scope);
        }

        _time.Advance(TimeSpan.FromMinutes(1));
        await setup.AskAsync("alpha");

        Assert.Equal(2, setup.Provider.Calls);
    }

    [Fact]
    public async Task Concurrent_requests_of_a_key_are_bounded_and_a_slot_frees_when_a_request_ends()
    {
        await using Setup setup = Create(o => o.Keys["alpha"].RateLimit = new RateLimitOptions { ConcurrentRequests = 3 });
        setup.Provider.CloseGate();

        Task<ChatResponse>[] running = [.. Enumerable.Range(0, 3).Select(_ => setup.AskAsync("alpha"))];
        await setup.Provider.WaitForInFlightAsync(3);
        (int served, List<RateLimitExceededException> refused) = await Concurrently(20, _ => setup.AskAsync("alpha"));
        setup.Provider.OpenGate();
        await Task.WhenAll(running);
        await setup.AskAsync("alpha");

        Assert.Equal(0, served);
        Assert.Equal(20, refused.Count);
        Assert.All(refused, r => Assert.Equal((RateLimitKind.ConcurrentRequests, (TimeSpan?)null), (r.Limit, r.RetryAfter)));
        Assert.Equal(3, setup.Provider.MaxInFlight);
        Assert.Equal(4, setup.Provider.Calls);
    }

    [Fact]
    public async Task Concurrent_requests_of_a_tenant_are_bounded_across_its_keys()
    {
        await using Setup setup = Create(o => o.Tenants["acme"].RateLimit = new RateLimitOptions { ConcurrentRequests = 2 });
        setup.Provider.CloseGate();

        Task<ChatResponse>[] running = [setup.AskAsync("alpha"), setup.AskAsync("beta")];
        await setup.Provider.WaitForInFlightAsync(2);
        (int served, List<RateLimitExceededException> refused) = await Concurrently(10, i => setup.AskAsync(i % 2 == 0 ? "alpha" : "beta"));
        setup.Provider.OpenGate();
        await Task.WhenAll(running);

        Assert.Equal(0, served);
        Assert.All(refused, r => Assert.Equal((RateLimitScope.Tenant, RateLimitKind.ConcurrentRequests), (r.Scope, r.Limit)));
        Assert.Equal(2, setup.Provider.MaxInFlight);
    }

    [Fact]
    public async Task A_stream_holds_its_slot_until_it_ends()
    {
        await using Setup setup = Create(o => o.Keys["alpha"].RateLimit = new RateLimitOptions { ConcurrentRequests = 1 });
        var options = new ChatOptions { ModelId = "ledger" }.WithRouterKey("alpha");

        await using (IAsyncEnumerator<ChatResponseUpdate> stream = setup.Router.GetStreamingResponseAsync("hi", options).GetAsyncEnumerator())
        {
            Assert.True(await stream.MoveNextAsync());
            await Assert.ThrowsAsync<RateLimitExceededException>(() => setup.AskAsync("alpha"));
        }

        await setup.AskAsync("alpha");
        Assert.Equal(2, setup.Provider.Calls);
    }

    [Fact]
    public async Task Tokens_per_minute_reserve_the_prompt_bound_plus_the_output_cap_and_keep_only_what_was_used()
    {
        // Each request reserves far more than it uses (a 2,000-token output cap, 12 tokens used): without the correction
        // after each call, the first request would use up the whole minute.
        await using Setup setup = Create(o => o.Keys["alpha"].RateLimit = new RateLimitOptions { TokensPerMinute = 3_000 });

        for (int i = 0; i < 50; i++)
        {
            RouteInfo route = (await setup.AskAsync("alpha", maxOutputTokens: 2_000)).GetRouteInfo()!;
            Assert.Equal(12, route.Tokens.TotalTokens);
        }

        // 600 of 3,000 tokens used: a request that may need more than the remaining 2,400 waits.
        var refusal = await Assert.ThrowsAsync<RateLimitExceededException>(() => setup.AskAsync("alpha", maxOutputTokens: 2_400));
        Assert.Equal((RateLimitScope.Key, RateLimitKind.TokensPerMinute), (refusal.Scope, refusal.Limit));
        Assert.Equal(50, setup.Provider.Calls);
    }

    [Fact]
    public async Task Tokens_per_minute_under_concurrency_admit_only_what_the_reservations_cover()
    {
        await using Setup setup = Create(o => o.Keys["alpha"].RateLimit = new RateLimitOptions { TokensPerMinute = 3_000 });
        setup.Provider.CloseGate();

        // Each reservation is over 1,000 tokens (its output cap) and under 1,500: two fit in 3,000, a third does not.
        Task<ChatResponse>[] running = [setup.AskAsync("alpha", 1_000), setup.AskAsync("alpha", 1_000)];
        await setup.Provider.WaitForInFlightAsync(2);
        (int served, List<RateLimitExceededException> refused) = await Concurrently(10, _ => setup.AskAsync("alpha", 1_000));
        setup.Provider.OpenGate();
        await Task.WhenAll(running);
        await setup.AskAsync("alpha", 1_000);

        Assert.Equal(0, served);
        Assert.Equal(10, refused.Count);
        Assert.All(refused, r => Assert.True(r.RetryAfter > TimeSpan.Zero));
        Assert.Equal(3, setup.Provider.Calls);
    }

    [Fact]
    public async Task A_tenants_tokens_per_minute_are_shared_by_its_keys_under_concurrency_and_refill_with_the_clock()
    {
        await using Setup setup = Create(o => o.Tenants["acme"].RateLimit = new RateLimitOptions { TokensPerMinute = 3_000 });
        setup.Provider.CloseGate();

        // One request of each key holds over 1,000 tokens of the tenant's 3,000: a third reservation does not fit, whichever key makes it.
        Task<ChatResponse>[] running = [setup.AskAsync("alpha", 1_000), setup.AskAsync("beta", 1_000)];
        await setup.Provider.WaitForInFlightAsync(2);
        (int served, List<RateLimitExceededException> refused) = await Concurrently(10, i => setup.AskAsync(i % 2 == 0 ? "alpha" : "beta", 1_000));
        setup.Provider.OpenGate();
        await Task.WhenAll(running);

        Assert.Equal(0, served);
        Assert.Equal(10, refused.Count);
        Assert.All(refused, r => Assert.Equal((RateLimitScope.Tenant, RateLimitKind.TokensPerMinute), (r.Scope, r.Limit)));
        Assert.All(refused, r => Assert.True(r.RetryAfter > TimeSpan.Zero));

        // Settled at the 12 tokens each used, the tenant has room again; an overrun by one key then holds back the other until the clock refills.
        setup.Provider.OutputTokens = 2_980;
        await setup.AskAsync("alpha", 1_000);
        var held = await Assert.ThrowsAsync<RateLimitExceededException>(() => setup.AskAsync("beta", 1_000));
        Assert.Equal(RateLimitScope.Tenant, held.Scope);
        _time.Advance(held.RetryAfter!.Value);
        setup.Provider.OutputTokens = 2;
        await setup.AskAsync("beta", 1_000);
        Assert.Equal(4, setup.Provider.Calls);
    }

    [Theory]
    [InlineData("gpt-4o-2024-08-06", true)]
    [InlineData("mistral-large-latest", false)]
    public async Task A_large_prompt_refused_by_its_byte_bound_is_counted_exactly_when_the_models_tokenizer_is_known(string model, bool admitted)
    {
        await using Setup setup = Create(o =>
        {
            o.Models["ledger"] = Routers.Model(("metered", model));
            o.Keys["alpha"].RateLimit = new RateLimitOptions { TokensPerMinute = 3_000 };
        });
        await setup.AskAsync("alpha", maxOutputTokens: 100);

        // About 4,000 UTF-8 bytes, but well under 1,000 tokens: its bound plus the output cap is over the 2,988 tokens left.
        string prompt = string.Concat(Enumerable.Repeat("The ledger balances for the quarter. ", 110));
        ChatOptions options = new ChatOptions { ModelId = "ledger", MaxOutputTokens = 500 }.WithRouterKey("alpha");
        if (admitted)
        {
            RouteInfo route = (await setup.Router.GetResponseAsync(prompt, options)).GetRouteInfo()!;
            Assert.Equal(RouteStatus.Served, route.Status);
            Assert.True(route.Estimate.PromptTokenBound > 3_000);
            Assert.Equal(2, setup.Provider.Calls);
        }
        else
        {
            // An approximated tokenizer's count could be low for the model: the safe bound stands.
            var refusal = await Assert.ThrowsAsync<RateLimitExceededException>(() => setup.Router.GetResponseAsync(prompt, options));
            Assert.Equal(RateLimitKind.TokensPerMinute, refusal.Limit);
            Assert.Equal(1, setup.Provider.Calls);
        }
    }

    [Fact]
    public async Task An_overrun_is_charged_and_delays_the_next_request_until_the_bucket_refilled()
    {
        await using Setup setup = Create(o => o.Keys["alpha"].RateLimit = new RateLimitOptions { TokensPerMinute = 6_000 });
        setup.Provider.OutputTokens = 5_990;

        await setup.AskAsync("alpha", maxOutputTokens: 100);
        var refusal = await Assert.ThrowsAsync<RateLimitExceededException>(() => setup.AskAsync("alpha", maxOutputTokens: 100));

        // 6,000 used of 6,000; a refill of 100 tokens a second covers the next reservation after its RetryAfter.
        TimeSpan wait = refusal.RetryAfter!.Value;
        Assert.InRange(wait, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3));
        _time.Advance(wait - TimeSpan.FromMilliseconds(10));
        await Assert.ThrowsAsync<RateLimitExceededException>(() => setup.AskAsync("alpha", maxOutputTokens: 100));
        _time.Advance(TimeSpan.FromMilliseconds(10));
        await setup.AskAsync("alpha", maxOutputTokens: 100);
        Assert.Equal(2, setup.Provider.Calls);
    }

    [Fact]
    public async Task A_failed_call_gives_its_whole_token_reservation_back()
    {
        await using Setup setup = Create(o =>
        {
            o.Keys["alpha"].RateLimit = new RateLimitOptions { TokensPerMinute = 2_500 };
            o.Providers["failing"] = new ProviderOptions { Kind = ProviderKind.Simulated, Region = "ch", FailureRate = 1 };
            o.Models["broken"] = Routers.Model(("failing", "broken-model"));
            o.Keys["alpha"].Models.Add("broken");
        });
        var broken = new ChatOptions { ModelId = "broken", MaxOutputTokens = 2_000 }.WithRouterKey("alpha");

        for (int i = 0; i < 20; i++)
        {
            await Assert.ThrowsAsync<AllDeploymentsFailedException>(() => setup.Router.GetResponseAsync("hi", broken));
        }

        await setup.AskAsync("alpha", maxOutputTokens: 2_000);
        Assert.Equal(1, setup.Provider.Calls);
    }

    [Fact]
    public async Task Keys_without_limits_and_routers_without_keys_are_not_limited()
    {
        await using Setup setup = Create(o => o.Keys["alpha"].RateLimit = null);

        (int served, List<RateLimitExceededException> refused) = await Concurrently(50, _ => setup.AskAsync("alpha"));

        Assert.Equal(50, served);
        Assert.Empty(refused);
    }

    [Fact]
    public async Task A_reload_keeps_what_a_key_has_used_while_its_limits_stay_the_same_and_starts_afresh_when_they_change()
    {
        IConfigurationRoot configuration = new ConfigurationBuilder().AddInMemoryCollection(Routers.OpenAccess(new Dictionary<string, string?>
        {
            ["LlmRouter:Providers:metered:Kind"] = "Custom",
            ["LlmRouter:Providers:metered:Region"] = "ch",
            ["LlmRouter:Models:ledger:Deployments:0:Provider"] = "metered",
            ["LlmRouter:Models:ledger:Deployments:0:Model"] = "ledger-model",
            ["LlmRouter:Keys:alpha:Models:0"] = "ledger",
            ["LlmRouter:Keys:alpha:Regions:0"] = "ch",
            ["LlmRouter:Keys:alpha:RateLimit:RequestsPerMinute"] = "2",
        })).Build();
        var provider = new MeteredChatClient();
        await using var router = LlmRouterClient.FromConfiguration(configuration.GetSection("LlmRouter"), b => b.UseTimeProvider(_time).AddProvider("metered", provider));
        var setup = new Setup(router, provider);
        await setup.AskAsync("alpha");
        await setup.AskAsync("alpha");

        configuration["LlmRouter:Keys:alpha:Metadata:owner"] = "finance";
        configuration.Reload();
        await Assert.ThrowsAsync<RateLimitExceededException>(() => setup.AskAsync("alpha"));

        configuration["LlmRouter:Keys:alpha:RateLimit:RequestsPerMinute"] = "3";
        configuration.Reload();
        await setup.AskAsync("alpha");

        Assert.Equal(3, provider.Calls);
    }
}
