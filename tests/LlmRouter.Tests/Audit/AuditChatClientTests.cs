using System.Net;
using System.Text;
using LlmRouter.Tests.Support;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace LlmRouter.Tests.Audit;

public class AuditChatClientTests
{
    private readonly InMemoryAuditStore _store = new();

    private static LlmRouterOptions PrimaryAndSpare(Action<ProviderOptions>? primary = null, Action<AuditOptions>? audit = null)
    {
        var options = new LlmRouterOptions();
        options.Providers["primary"] = Routers.Simulated("eu", primary);
        options.Providers["backup"] = Routers.Simulated("ch");
        options.Models["chat"] = new ModelOptions { Deployments = [new() { Provider = "primary", Model = "sim-a", PriceAs = "gpt-4o-mini" }], Fallbacks = ["spare"] };
        options.Models["spare"] = new ModelOptions { Deployments = [new() { Provider = "backup", Model = "sim-b", PriceAs = "gpt-4o" }] };
        audit?.Invoke(options.Audit);
        return options;
    }

    private LlmRouterClient Router(LlmRouterOptions options, Action<LlmRouterBuilder>? configure = null) =>
        Routers.Create(options, configure: builder =>
        {
            builder.Services.AddSingleton<IAuditStore>(_store);
            configure?.Invoke(builder);
        });

    [Fact]
    public async Task A_served_request_is_recorded_with_its_route_tokens_cost_and_the_unit_prices_it_was_charged_at()
    {
        RouteInfo route;
        await using (LlmRouterClient router = Router(PrimaryAndSpare()))
        {
            route = (await router.GetResponseAsync("Summarize the ledger.", Routers.For("chat"))).GetRouteInfo()!;
        }

        AuditRecord record = Assert.Single(_store.Records);
        ModelPrice price = PriceCatalog.BuiltIn.Find("gpt-4o-mini")!;
        Assert.Equal(route.RequestId, record.Id);
        Assert.Equal((RouteStatus.Served, (string?)null), (record.Status, record.ReasonCode));
        Assert.Equal(("chat", "chat", "primary", "sim-a", "eu"), (record.RequestedModel, record.ServedModel, record.Provider, record.ProviderModel, record.Region));
        Assert.Equal(AuditText.Microseconds(route.StartedAt), record.StartedAt);
        Assert.Equal(AuditText.Microseconds(route.Duration), record.Duration);
        Assert.Equal(record.StartedAt + record.Duration, record.CompletedAt);
        Assert.False(record.Streaming);
        Assert.Equal(route.Tokens, record.Tokens);
        Assert.True(record.Tokens.InputTokens > 0);
        Assert.Equal(route.Cost, record.Cost);
        Assert.Equal(price.Cost(route.Tokens), record.Cost);
        Assert.Equal(price.Rates, record.Prices);
        Assert.Equal(PriceCatalog.BuiltIn.Version, record.CatalogVersion);
        Assert.Equal(route.PriceSource, record.PriceSource);
        AuditAttempt attempt = Assert.Single(record.Attempts);
        Assert.Equal((AttemptOutcome.Succeeded, "primary", "eu", route.Cost), (attempt.Outcome, attempt.Provider, attempt.Region, attempt.Cost));
        Assert.Equal((AuditContentMode.None, (string?)null, (string?)null), (record.ContentMode, record.RequestContent, record.ResponseContent));
        Assert.Equal((1L, AuditText.ZeroHash), (record.Sequence, record.PreviousHash));
        Assert.Equal(64, record.Hash.Length);
    }

    [Fact]
    public async Task The_callers_key_tenant_user_tags_and_PII_findings_are_recorded_and_the_key_is_only_an_id()
    {
        LlmRouterOptions options = PrimaryAndSpare();
        options.Tenants["acme"] = new TenantOptions();
        options.Keys["client-chat"] = new KeyOptions { Tenant = "acme", Models = ["chat", "spare"], Regions = ["eu", "ch"], Pii = new PiiPolicyOptions { Default = PiiAction.Redact } };
        await using (LlmRouterClient router = Router(options))
        {
            using (RouterContext.Begin("client-chat", "alice@acme.example", ["invoice", "q3"]))
            {
                await router.GetResponseAsync("Mail anna.keller@example.ch and bob@example.org about the invoice.", Routers.For("chat"));
            }

            await Assert.ThrowsAsync<UnknownKeyException>(() => router.GetResponseAsync("Hello", Routers.For("chat").WithRouterKey("sk-live-not-a-configured-key")));
        }

        AuditRecord record = _store.Records[0];
        Assert.Equal(("client-chat", "acme", "alice@acme.example"), (record.Key, record.Tenant, record.User));
        Assert.Equal(["invoice", "q3"], record.Tags);
        Assert.Equal(2, record.PiiFindings![PiiKinds.Email]);

        // A key that is not configured is refused and recorded, but the string the caller sent is not: it may be a secret.
        AuditRecord refused = _store.Records[1];
        Assert.Equal((RouteStatus.Rejected, ReasonCodes.UnknownKey, (string?)null), (refused.Status, refused.ReasonCode, refused.Key));
        Assert.DoesNotContain("sk-live-not-a-configured-key", AuditSamples(refused), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_model_outside_the_keys_whitelist_is_recorded_as_rejected()
    {
        LlmRouterOptions options = PrimaryAndSpare();
        options.Tenants["acme"] = new TenantOptions();
        options.Keys["client-chat"] = new KeyOptions { Tenant = "acme", Models = ["spare"], Regions = ["ch"] };
        await using (LlmRouterClient router = Router(options))
        {
            await Assert.ThrowsAsync<ModelNotAllowedException>(() => router.GetResponseAsync("Hello", Routers.For("chat").WithRouterKey("client-chat")));
        }

        AuditRecord record = Assert.Single(_store.Records);
        Assert.Equal((RouteStatus.Rejected, ReasonCodes.ModelNotAllowed, "client-chat", "acme"), (record.Status, record.ReasonCode, record.Key, record.Tenant));
        Assert.Null(record.Provider);
    }

    [Fact]
    public async Task A_fallback_chain_that_leads_out_of_the_keys_regions_is_recorded_as_region_not_allowed_without_a_call()
    {
        LlmRouterOptions options = PrimaryAndSpare();
        options.Providers["us"] = Routers.Simulated("us");
        options.Keys["client-chat"] = new KeyOptions { Models = ["chat", "spare"], Regions = ["us"] };
        await using (LlmRouterClient router = Router(options))
        {
            var refusal = await Assert.ThrowsAsync<ModelNotAllowedException>(() => router.GetResponseAsync("Hello", Routers.For("chat").WithRouterKey("client-chat")));
            Assert.Equal(ReasonCodes.RegionNotAllowed, refusal.ReasonCode);
        }

        AuditRecord record = Assert.Single(_store.Records);
        Assert.Equal((RouteStatus.Rejected, ReasonCodes.RegionNotAllowed, "client-chat"), (record.Status, record.ReasonCode, record.Key));
        Assert.Equal([(AttemptOutcome.Skipped, SkipReasons.RegionNotAllowed, "eu"), (AttemptOutcome.Skipped, SkipReasons.RegionNotAllowed, "ch")], record.Attempts.Select(a => (a.Outcome, a.SkipReason, a.Region)));
        Assert.Null(record.Provider);
        Assert.Equal(0m, record.Cost ?? 0m);
    }

    [Fact]
    public async Task Personal_data_blocked_where_every_target_is_is_recorded_as_a_policy_violation_with_its_counts_never_the_values()
    {
        LlmRouterOptions options = PrimaryAndSpare();
        options.Keys["client-chat"] = new KeyOptions { Models = ["chat", "spare"], Regions = ["eu", "ch"], Pii = new PiiPolicyOptions { Regions = { ["eu"] = PiiAction.Block, ["ch"] = PiiAction.Block } } };
        await using (LlmRouterClient router = Router(options))
        {
            var refusal = await Assert.ThrowsAsync<PolicyViolationException>(() => router.GetResponseAsync("Pay CH93 0076 2011 6238 5295 7.", Routers.For("chat").WithRouterKey("client-chat")));
            Assert.Equal(ReasonCodes.PolicyViolation, refusal.ReasonCode);
        }

        AuditRecord record = Assert.Single(_store.Records);
        Assert.Equal((RouteStatus.Rejected, ReasonCodes.PolicyViolation, "client-chat"), (record.Status, record.ReasonCode, record.Key));
        Assert.Equal(1, record.PiiFindings![PiiKinds.Iban]);
        Assert.All(record.Attempts, a => Assert.Equal((AttemptOutcome.Skipped, SkipReasons.PolicyViolation), (a.Outcome, a.SkipReason)));
        Assert.DoesNotContain("6238", AuditSamples(record), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stream_is_made_by_the_caller_current_when_it_is_requested_not_when_it_is_read()
    {
        LlmRouterOptions options = PrimaryAndSpare();
        options.Keys["client-chat"] = new KeyOptions { Models = ["chat"], Regions = ["eu"] };
        options.Keys["batch"] = new KeyOptions { Models = ["spare"], Regions = ["ch"] };
        ChatResponse response;
        await using (LlmRouterClient router = Router(options))
        {
            IAsyncEnumerable<ChatResponseUpdate> stream;
            using (RouterContext.Begin("client-chat", "alice@acme.example", ["web"]))
            {
                stream = router.GetStreamingResponseAsync("Hello", Routers.For("chat"));
            }

            using (RouterContext.Begin("batch", "nightly-job"))
            {
                response = await stream.ToChatResponseAsync();
            }
        }

        RouteInfo route = response.GetRouteInfo()!;
        Assert.Equal(("client-chat", "alice@acme.example", RouteStatus.Served), (route.Key, route.User, route.Status));
        AuditRecord record = Assert.Single(_store.Records);
        Assert.Equal(("client-chat", "alice@acme.example", "chat"), (record.Key, record.User, record.ServedModel));
        Assert.Equal(["web"], record.Tags);
    }

    private static string AuditSamples(AuditRecord record) =>
        Encoding.UTF8.GetString(new AuditHasher().Canonical(record, record.ChainId, record.Sequence, record.PreviousHash)) + new AuditJson().Attempts(record.Attempts);

    [Fact]
    public async Task A_request_for_an_unknown_model_is_recorded_as_rejected_with_its_reason()
    {
        await using (LlmRouterClient router = Router(PrimaryAndSpare()))
        {
            await Assert.ThrowsAsync<UnknownModelException>(() => router.GetResponseAsync("Hello", Routers.For("gpt-9")));
        }

        AuditRecord record = Assert.Single(_store.Records);
        Assert.Equal((RouteStatus.Rejected, ReasonCodes.UnknownModel, "gpt-9"), (record.Status, record.ReasonCode, record.RequestedModel));
        Assert.Equal("Unknown model 'gpt-9'.", record.ErrorMessage);
        Assert.Null(record.ErrorClass);
        Assert.Empty(record.Attempts);
        Assert.Null(record.Cost);
    }

    [Fact]
    public async Task A_request_that_failed_after_its_fallbacks_is_recorded_with_every_attempt_and_skip()
    {
        LlmRouterOptions options = PrimaryAndSpare(p => p.FailureRate = 1);
        options.Providers["backup"].FailureRate = 1;
        options.Models["chat"].Fallbacks = ["spare", "chat-2"];
        options.Models["chat-2"] = new ModelOptions { Deployments = [new() { Provider = "primary", Model = "sim-a" }] };
        options.Routing.AllowedFailures = 1;
        await using (LlmRouterClient router = Router(options))
        {
            await Assert.ThrowsAsync<AllDeploymentsFailedException>(() => router.GetResponseAsync("Hello", Routers.For("chat")));
        }

        AuditRecord record = Assert.Single(_store.Records);
        Assert.Equal((RouteStatus.Failed, ReasonCodes.AllDeploymentsFailed, ErrorClass.ServerError), (record.Status, record.ReasonCode, record.ErrorClass));
        Assert.StartsWith("No deployment could serve 'chat'.", record.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal([AttemptOutcome.Failed, AttemptOutcome.Failed, AttemptOutcome.Skipped], record.Attempts.Select(a => a.Outcome));
        Assert.Equal(["chat", "spare", "chat-2"], record.Attempts.Select(a => a.Model));
        Assert.Equal(SkipReasons.Cooldown, record.Attempts[2].SkipReason);
        Assert.Equal(503, record.Attempts[0].StatusCode);
        Assert.Equal(0m, record.Cost);
    }

    [Fact]
    public async Task A_provider_error_is_recorded_redacted_with_its_class()
    {
        var options = new LlmRouterOptions();
        options.Providers["custom"] = new ProviderOptions { Kind = ProviderKind.Custom, Region = "ch" };
        options.Models["chat"] = Routers.Model(("custom", "private-model"));
        var scripted = new ScriptedChatClient().Then(new HttpRequestException("401: bad key sk-live-0123456789abcdef; Authorization: Bearer tok_0123456789abcdef", null, HttpStatusCode.Unauthorized));
        await using (LlmRouterClient router = Router(options, b => b.AddProvider("custom", scripted)))
        {
            await Assert.ThrowsAsync<ProviderException>(() => router.GetResponseAsync("Hello", Routers.For("chat")));
        }

        AuditRecord record = Assert.Single(_store.Records);
        Assert.Equal((RouteStatus.Failed, ReasonCodes.ProviderError, ErrorClass.Authentication), (record.Status, record.ReasonCode, record.ErrorClass));
        string error = record.Attempts[0].Error!;
        Assert.Contains("[REDACTED]", error, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-live-0123456789abcdef", error, StringComparison.Ordinal);
        Assert.DoesNotContain("tok_0123456789abcdef", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stream_is_recorded_when_it_ends_with_its_time_to_first_token()
    {
        RouteInfo route;
        await using (LlmRouterClient router = Router(PrimaryAndSpare()))
        {
            route = (await router.GetStreamingResponseAsync("Hello", Routers.For("chat")).ToChatResponseAsync()).GetRouteInfo()!;
        }

        AuditRecord record = Assert.Single(_store.Records);
        Assert.True(record.Streaming);
        Assert.Equal(RouteStatus.Served, record.Status);
        Assert.Equal(AuditText.Microseconds(route.TimeToFirstToken!.Value), record.TimeToFirstToken);
        Assert.Equal(route.Cost, record.Cost);
        Assert.Equal(5, record.Tokens.OutputTokens);
    }

    [Fact]
    public async Task A_stream_cancelled_mid_way_is_recorded_as_cancelled_and_priced_for_what_was_received()
    {
        using var cancel = new CancellationTokenSource();
        await using (LlmRouterClient router = Router(PrimaryAndSpare(p => p.ReportUsage = false)))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            {
                await foreach (ChatResponseUpdate update in router.GetStreamingResponseAsync("Hello", Routers.For("chat"), cancel.Token))
                {
                    await cancel.CancelAsync();
                }
            });
        }

        AuditRecord record = Assert.Single(_store.Records);
        Assert.Equal((RouteStatus.Cancelled, ReasonCodes.Cancelled), (record.Status, record.ReasonCode));
        Assert.Equal(AttemptOutcome.Cancelled, Assert.Single(record.Attempts).Outcome);
        Assert.True(record.TokensEstimated);
        Assert.Equal(1, record.Tokens.OutputTokens);
        Assert.True(record.Cost > 0);
    }

    [Fact]
    public async Task A_stream_the_caller_stopped_reading_is_recorded_as_cancelled()
    {
        await using (LlmRouterClient router = Router(PrimaryAndSpare()))
        {
            await foreach (ChatResponseUpdate update in router.GetStreamingResponseAsync("Hello", Routers.For("chat")))
            {
                break;
            }
        }

        AuditRecord record = Assert.Single(_store.Records);
        Assert.Equal((RouteStatus.Cancelled, ReasonCodes.Cancelled, true), (record.Status, record.ReasonCode, record.Streaming));
    }

    [Fact]
    public async Task A_stream_that_is_never_read_is_never_sent_and_not_recorded()
    {
        await using (LlmRouterClient router = Router(PrimaryAndSpare()))
        {
            _ = router.GetStreamingResponseAsync("Hello", Routers.For("chat"));
        }

        Assert.Empty(_store.Records);
    }

    [Fact]
    public async Task Every_request_gets_exactly_one_record_under_concurrency()
    {
        LlmRouterOptions options = PrimaryAndSpare(p => (p.FailureRate, p.Seed) = (0.3, 7));
        var ids = new System.Collections.Concurrent.ConcurrentBag<Guid>();
        await using (LlmRouterClient router = Router(options))
        {
            await Parallel.ForAsync(0, 400, async (i, _) =>
            {
                string model = i % 10 == 0 ? "missing" : "chat";
                try
                {
                    ChatResponse response = i % 2 == 0
                        ? await router.GetResponseAsync("Hello", Routers.For(model))
                        : await router.GetStreamingResponseAsync("Hello", Routers.For(model)).ToChatResponseAsync();
                    ids.Add(response.GetRouteInfo()!.RequestId);
                }
                catch (LlmRouterException ex)
                {
                    ids.Add(ex.Route!.RequestId);
                }
            });
        }

        Assert.Equal(400, _store.Records.Count);
        Assert.Equal(ids.Order(), _store.Records.Select(r => r.Id).Order());
    }

    [Fact]
    public async Task Content_is_not_recorded_unless_asked_for_and_Full_keeps_the_text_up_to_the_cap()
    {
        await using (LlmRouterClient router = Router(PrimaryAndSpare(audit: a => (a.Content, a.ContentMaxChars) = (AuditContentMode.Full, 30))))
        {
            await router.GetResponseAsync("Short question?", Routers.For("chat"));
            await router.GetResponseAsync(new string('x', 100), Routers.For("chat"));
        }

        Assert.Equal("user: Short question?", _store.Records[0].RequestContent);
        Assert.Equal("assistant: the router sends ea", _store.Records[0].ResponseContent);
        Assert.True(_store.Records[0].ContentTruncated);
        Assert.Equal("user: " + new string('x', 24), _store.Records[1].RequestContent);
        Assert.Equal(AuditContentMode.Full, _store.Records[1].ContentMode);
    }

    [Fact]
    public async Task Redacted_content_masks_keys_bearer_tokens_authorization_headers_and_personal_data()
    {
        await using (LlmRouterClient router = Router(PrimaryAndSpare(audit: a => a.Content = AuditContentMode.Redacted)))
        {
            await router.GetStreamingResponseAsync("Use sk-proj-abcdefghijklmnop with Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.x.y, pay CH93 0076 2011 6238 5295 7 and mail anna.keller@example.ch", Routers.For("chat")).ToChatResponseAsync();
        }

        AuditRecord record = Assert.Single(_store.Records);
        Assert.Equal("user: Use [REDACTED] with Authorization: [REDACTED] [REDACTED], pay [IBAN] and mail [EMAIL]", record.RequestContent);
        Assert.Equal("assistant: the router sends each request", record.ResponseContent);
        Assert.False(record.ContentTruncated);
    }

    [Fact]
    public async Task No_API_key_or_Authorization_header_reaches_the_record_even_with_full_content()
    {
        await using OpenAIWireServer server = await OpenAIWireServer.StartAsync();
        server.Enqueue(WireBehavior.Error(401, "invalid_api_key", $"Incorrect API key provided: {WireProviders.ApiKey}. Header was 'Authorization: Bearer {WireProviders.ApiKey}'."));
        var options = new LlmRouterOptions();
        options.Providers["openai"] = WireProviders.OpenAI(server);
        options.Models["chat"] = WireProviders.Alias("openai", "gpt-4o");
        options.Audit.Content = AuditContentMode.Full;
        await using (LlmRouterClient router = Router(options))
        {
            await Assert.ThrowsAsync<ProviderException>(() => router.GetResponseAsync($"My key is {WireProviders.ApiKey}", Routers.For("chat")));
            await router.GetResponseAsync($"Again: Bearer {WireProviders.ApiKey}", Routers.For("chat"));
        }

        Assert.Equal(2, _store.Records.Count);
        Assert.Contains("authorization", server.Requests[0].Headers.Keys, StringComparer.OrdinalIgnoreCase);
        var hasher = new AuditHasher();
        using var json = new AuditJson();
        foreach (AuditRecord record in _store.Records)
        {
            // Everything a store keeps: the hashed fields and the JSON columns.
            string stored = Encoding.UTF8.GetString(hasher.Canonical(record, record.ChainId, record.Sequence, record.PreviousHash)) + json.Attempts(record.Attempts);
            Assert.DoesNotContain(WireProviders.ApiKey, stored, StringComparison.Ordinal);
            Assert.DoesNotContain("0123456789", stored, StringComparison.Ordinal);
        }

        Assert.Contains("[REDACTED]", _store.Records[0].Attempts[0].Error!, StringComparison.Ordinal);
        Assert.Equal("user: My key is [REDACTED]", _store.Records[0].RequestContent);
    }

    [Fact]
    public async Task In_Buffered_mode_a_failing_store_never_fails_the_request()
    {
        _store.FailNext(int.MaxValue);
        await using LlmRouterClient router = Router(PrimaryAndSpare(audit: a => a.ShutdownTimeout = TimeSpan.Zero));

        ChatResponse response = await router.GetResponseAsync("Hello", Routers.For("chat"));

        Assert.Equal(RouteStatus.Served, response.GetRouteInfo()!.Status);
    }

    [Fact]
    public async Task In_Synchronous_mode_a_call_whose_record_cannot_be_stored_fails()
    {
        _store.FailNext(1);
        var time = new CountingTimeProvider(Routers.Clock());
        await using LlmRouterClient router = Router(PrimaryAndSpare(audit: a => a.Durability = AuditDurability.Synchronous), b => b.UseTimeProvider(time));

        var failure = await Assert.ThrowsAsync<AuditUnavailableException>(() => router.GetResponseAsync("Hello", Routers.For("chat")));

        Assert.Equal(ReasonCodes.AuditUnavailable, failure.ReasonCode);
        Assert.Equal(RouteStatus.Served, failure.Route!.Status);

        // The writer keeps the record and retries it: once the store takes it, calls succeed again.
        await time.WaitForTimersAsync(1);
        time.Advance(AuditOptions.DefaultRetryInitialDelay);
        await _store.WaitForRecordsAsync(1);
        await router.GetResponseAsync("Hello", Routers.For("chat"));
        Assert.Equal(2, _store.Records.Count);
    }

    [Fact]
    public async Task With_Reject_a_full_queue_refuses_a_request_before_any_provider_is_called()
    {
        _store.Hold();
        var scripted = new ScriptedChatClient();
        var options = new LlmRouterOptions();
        options.Providers["custom"] = new ProviderOptions { Kind = ProviderKind.Custom, Region = "ch" };
        options.Models["chat"] = Routers.Model(("custom", "m"));
        (options.Audit.QueueCapacity, options.Audit.QueueFull, options.Audit.FlushInterval) = (1, AuditQueueFullBehavior.Reject, TimeSpan.Zero);
        await using LlmRouterClient router = Router(options, b => b.AddProvider("custom", scripted));
        await router.GetResponseAsync("first", Routers.For("chat"));
        await Until.TrueAsync(() => _store.Attempts == 1);

        var refusal = await Assert.ThrowsAsync<AuditUnavailableException>(() => router.GetResponseAsync("second", Routers.For("chat")));

        Assert.Equal(1, scripted.Calls);
        Assert.Equal(RouteStatus.Rejected, refusal.Route!.Status);
        Assert.Equal(1, router.Services.GetRequiredService<AuditWriterStatistics>().Rejected);
        _store.Release();
    }

    [Fact]
    public async Task Audit_only_mode_records_a_plain_clients_calls_with_the_model_asked_for_its_tokens_and_catalog_price()
    {
        var services = new ServiceCollection();
        services.AddLlmRouterAudit(_ => { });
        services.AddSingleton<IAuditStore>(_store);
        await using ServiceProvider provider = services.BuildServiceProvider();
        var simulated = new SimulatedChatClient(new ProviderOptions { Kind = ProviderKind.Simulated, Region = "eu", OutputTokens = 4 });
        IChatClient chat = new ChatClientBuilder(simulated).UseLlmRouterAudit().Build(provider);

        ChatResponse response = await chat.GetResponseAsync("Hello there", new ChatOptions { ModelId = "gpt-4o-mini" });
        await chat.GetStreamingResponseAsync("Hello there", new ChatOptions { ModelId = "gpt-4o-mini" }).ToChatResponseAsync();
        await provider.GetRequiredService<AuditWriter>().FlushAsync();

        Assert.Equal("the router sends each", response.Text);
        Assert.Equal(2, _store.Records.Count);
        AuditRecord record = _store.Records[0];
        ModelPrice price = PriceCatalog.BuiltIn.Find("gpt-4o-mini")!;
        Assert.Equal((RouteStatus.Served, "gpt-4o-mini", "gpt-4o-mini", "simulated", (string?)null), (record.Status, record.RequestedModel, record.ProviderModel, record.Provider, record.Region));
        Assert.Equal(4, record.Tokens.OutputTokens);
        Assert.Equal(price.Cost(record.Tokens), record.Cost);
        Assert.Equal(PriceCatalog.BuiltIn.Version, record.CatalogVersion);
        Assert.True(_store.Records[1].Streaming);
        Assert.NotNull(_store.Records[1].TimeToFirstToken);
    }

    [Fact]
    public async Task Audit_only_mode_lets_the_clients_own_exceptions_through_and_records_the_failure()
    {
        var services = new ServiceCollection();
        services.AddLlmRouterAudit(_ => { });
        services.AddSingleton<IAuditStore>(_store);
        await using ServiceProvider provider = services.BuildServiceProvider();
        var scripted = new ScriptedChatClient().Then(new HttpRequestException("boom", null, HttpStatusCode.ServiceUnavailable));
        IChatClient chat = new ChatClientBuilder(scripted).UseLlmRouterAudit().Build(provider);

        await Assert.ThrowsAsync<HttpRequestException>(() => chat.GetResponseAsync("Hello", new ChatOptions { ModelId = "my-model" }));
        await provider.GetRequiredService<AuditWriter>().FlushAsync();

        AuditRecord record = Assert.Single(_store.Records);
        Assert.Equal((RouteStatus.Failed, ReasonCodes.ProviderError, ErrorClass.ServerError, "boom"), (record.Status, record.ReasonCode, record.ErrorClass, record.ErrorMessage));
        Assert.Equal((503, "unknown"), (record.Attempts[0].StatusCode, record.Attempts[0].Provider));
        Assert.Equal(0m, record.Cost);
        Assert.False(record.PriceUnknown);
    }

    [Fact]
    public void Without_a_store_UseLlmRouter_records_nothing_and_UseLlmRouterAudit_says_what_is_missing()
    {
        var services = new ServiceCollection();
        services.AddLlmRouterAudit(_ => { });
        using ServiceProvider provider = services.BuildServiceProvider();

        var failure = Assert.Throws<InvalidOperationException>(() => new ChatClientBuilder(new ScriptedChatClient()).UseLlmRouterAudit().Build(provider));

        Assert.Contains("No audit store is registered", failure.Message, StringComparison.Ordinal);
        using LlmRouterClient router = Routers.Create(PrimaryAndSpare());
        Assert.Null(router.GetService(typeof(AuditChatClient)));
    }
}
