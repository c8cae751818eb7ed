using System.Collections.Concurrent;
using System.Diagnostics;
using LlmRouter.Tests.Support;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace LlmRouter.Tests.Policies;

/// <summary>
/// A virtual key id is a credential: it reaches the application's <see cref="RouteInfo.Key"/> and nothing else — not the
/// provider's HTTP request, not a log line at any level, not a telemetry tag, not an exception message.
/// </summary>
public sealed class KeySecrecyTests
{
    private const string KeyId = "client-chat-7f3a9b";

    [Fact]
    public async Task The_key_id_is_absent_from_provider_requests_logs_at_trace_level_telemetry_and_messages()
    {
        await using var server = await OpenAIWireServer.StartAsync();
        var options = new LlmRouterOptions();
        options.Providers["mistral"] = WireProviders.OpenAI(server);
        options.Models["mistral-eu-large"] = WireProviders.Alias("mistral", "mistral-large-latest");
        options.Models["mistral-eu-small"] = WireProviders.Alias("mistral", "mistral-small-latest");
        options.Tenants["acme"] = new TenantOptions { RateLimit = new RateLimitOptions { RequestsPerMinute = 6 } };
        options.Keys[KeyId] = new KeyOptions
        {
            Tenant = "acme",
            Models = ["mistral-eu-large"],
            Regions = ["eu"],
            Pii = new PiiPolicyOptions { Default = PiiAction.Redact, RestoreInResponse = true },
        };

        await using LlmRouterClient router = LlmRouterClient.Create(Routers.OpenAccess(options), b => b
            .UseTimeProvider(Routers.Clock())
            .Services.AddLogging(l => l.SetMinimumLevel(LogLevel.Trace).AddFakeLogging()));
        FakeLogCollector logs = router.Services.GetFakeLogCollector();

        // The application's own instrumentation inside the router, where each provider attempt passes: Microsoft.Extensions.AI
        // logs whole requests (options included) at Trace level, and OpenTelemetry tags them with sensitive data on.
        // LlmRouter's own request spans too, with their events.
        var tags = new ConcurrentQueue<string>();
        ActivitySource routerSource = ActivityRecorder.SourceOf(router);
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "llmrouter-spec" || ReferenceEquals(source, routerSource),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                foreach (KeyValuePair<string, object?> tag in activity.TagObjects.Concat(activity.Events.SelectMany(e => e.Tags)))
                {
                    tags.Enqueue(tag.Key + "=" + tag.Value);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        IChatClient chat = new ChatClientBuilder(router.Services.GetRequiredService<ProviderDispatchChatClient>())
            .UseLlmRouter()
            .UseLogging()
            .UseOpenTelemetry(sourceName: "llmrouter-spec", configure: otel => otel.EnableSensitiveData = true)
            .Build(router.Services);

        var refusals = new List<LlmRouterException>();
        async Task Refused(Func<Task> call) => refusals.Add(await Assert.ThrowsAnyAsync<LlmRouterException>(call));

        ChatResponse served = await chat.GetResponseAsync("Mail alice@example.ch about the ledger.", new ChatOptions { ModelId = "mistral-eu-large" }.WithRouterKey(KeyId));
        using (RouterContext.Begin(KeyId, user: "alice", tags: ["web"]))
        {
            await chat.GetStreamingResponseAsync("Stream the summary.", new ChatOptions { ModelId = "mistral-eu-large" }).ToChatResponseAsync();
            await Refused(() => chat.GetResponseAsync("hi", new ChatOptions { ModelId = "mistral-eu-small" }));
        }

        await Refused(() => chat.GetResponseAsync("hi", new ChatOptions { ModelId = "mistral-eu-large" }.WithRouterKey(KeyId + "-revoked")));
        await Refused(() => chat.GetResponseAsync("hi", new ChatOptions { ModelId = "mistral-eu-large" }.WithRouterKey(KeyId.ToUpperInvariant())));
        for (int i = 0; i < 6; i++)
        {
            try
            {
                await chat.GetResponseAsync("again", new ChatOptions { ModelId = "mistral-eu-large" }.WithRouterKey(KeyId));
            }
            catch (RateLimitExceededException refusal)
            {
                refusals.Add(refusal);
            }
        }

        // What the application may see: the route names the key.
        Assert.Equal(KeyId, served.GetRouteInfo()!.Key);
        Assert.Contains(refusals, r => r is RateLimitExceededException);
        Assert.Contains(refusals, r => r is UnknownKeyException);
        Assert.Contains(refusals, r => r is ModelNotAllowedException);

        // What nobody else may see. Served: the first request, the stream, and four of the six that met the rate limit.
        Assert.Equal(6, server.RequestCount);
        foreach (WireRequest request in server.Requests)
        {
            AssertAbsent(request.RawBody, "provider request body");
            foreach ((string name, string value) in request.Headers)
            {
                AssertAbsent(name + ": " + value, "provider request header");
            }
        }

        IReadOnlyList<FakeLogRecord> records = logs.GetSnapshot();
        Assert.Contains(records, r => r.Level == LogLevel.Trace);
        Assert.Contains(records, r => r.Category == "LlmRouter.KeyPolicy");
        foreach (FakeLogRecord record in records)
        {
            AssertAbsent(record.Message, "log message");
            AssertAbsent(string.Join(";", record.StructuredState ?? []), "log state");
            AssertAbsent(string.Join(";", record.Scopes), "log scope");
            AssertAbsent(record.Exception?.ToString(), "logged exception");
        }

        Assert.NotEmpty(tags);
        Assert.Contains(tags, t => t.StartsWith("llmrouter.status=", StringComparison.Ordinal));
        foreach (string tag in tags)
        {
            AssertAbsent(tag, "telemetry tag");
        }

        foreach (LlmRouterException refusal in refusals)
        {
            AssertAbsent(refusal.Message, "exception message");
            AssertAbsent(refusal.ToString(), "exception text");
        }
    }

    public static TheoryData<string> RefusalKinds =>
    [
        ReasonCodes.UnknownKey, ReasonCodes.ModelNotAllowed, ReasonCodes.RegionNotAllowed, ReasonCodes.PolicyViolation, ReasonCodes.RateLimited, ReasonCodes.BudgetExceeded,
    ];

    [Theory]
    [MemberData(nameof(RefusalKinds))]
    public async Task No_refusal_names_the_key_in_its_exception_or_in_a_log_line_at_any_level(string reason)
    {
        var options = new LlmRouterOptions();
        options.Providers["eu"] = Routers.Simulated("eu");
        options.Providers["us"] = Routers.Simulated("us");
        options.Models["eu-model"] = new ModelOptions { Deployments = [new() { Provider = "eu", Model = "sim-eu", PriceAs = "gpt-4o" }] };
        options.Models["us-model"] = new ModelOptions { Deployments = [new() { Provider = "us", Model = "sim-us", PriceAs = "gpt-4o" }] };
        options.Models["other-model"] = new ModelOptions { Deployments = [new() { Provider = "eu", Model = "sim-other", PriceAs = "gpt-4o" }] };
        options.Keys[KeyId] = new KeyOptions
        {
            Models = ["eu-model", "us-model"],
            Regions = ["eu"],
            Pii = new PiiPolicyOptions { Kinds = { [PiiKinds.Iban] = PiiAction.Block } },
            RateLimit = reason == ReasonCodes.RateLimited ? new RateLimitOptions { RequestsPerMinute = 1 } : null,
            Budget = reason == ReasonCodes.BudgetExceeded ? new BudgetOptions { Limit = 0.000001m, Period = BudgetPeriod.Daily } : null,
        };
        await using LlmRouterClient router = Routers.Create(options, configure: b => b.Services.AddLogging(l => l.SetMinimumLevel(LogLevel.Trace).AddFakeLogging()));
        FakeLogCollector logs = router.Services.GetFakeLogCollector();
        (string Model, string Prompt, string Key) request = reason switch
        {
            ReasonCodes.UnknownKey => ("eu-model", "Hello.", KeyId + "-revoked"),
            ReasonCodes.ModelNotAllowed => ("other-model", "Hello.", KeyId),
            ReasonCodes.RegionNotAllowed => ("us-model", "Hello.", KeyId),
            ReasonCodes.PolicyViolation => ("eu-model", "Pay CH93 0076 2011 6238 5295 7.", KeyId),
            _ => ("eu-model", "Summarize the ledger for the third quarter in detail.", KeyId),
        };
        if (reason == ReasonCodes.RateLimited)
        {
            await router.GetResponseAsync(request.Prompt, Routers.For(request.Model).WithRouterKey(request.Key));
        }

        var refusal = await Assert.ThrowsAnyAsync<LlmRouterException>(() => router.GetResponseAsync(request.Prompt, Routers.For(request.Model).WithRouterKey(request.Key)));

        Assert.Equal(reason, refusal.ReasonCode);
        AssertAbsent(refusal.Message, "exception message");
        AssertAbsent(refusal.ToString(), "exception text");
        Assert.NotEmpty(logs.GetSnapshot());
        foreach (FakeLogRecord record in logs.GetSnapshot())
        {
            AssertAbsent(record.Message, "log message");
            AssertAbsent(string.Join(";", record.StructuredState ?? []), "log state");
            AssertAbsent(string.Join(";", record.Scopes), "log scope");
        }
    }

    private static void AssertAbsent(string? text, string where)
    {
        if (text is not null && text.Contains("client-chat-7f3a9b", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail($"The key id appears in a {where}: {text}");
        }
    }
}
