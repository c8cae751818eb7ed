using LlmRouter.Tests.Support;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace LlmRouter.Tests.Diagnostics;

/// <summary>
/// What LlmRouter logs: a Debug line per routing decision and per request, fallbacks at Information, refusals at
/// Information, store failures at Error — and never a prompt, a key id or a provider's API key, in a message or in its state.
/// </summary>
public sealed class RouterLogTests
{
    private const string Prompt = "PROMPT-TEXT-5f2e: the quarterly ledger of Alice Example";
    private const string KeyId = "client-chat-7f3a9b";
    private const string PoorKeyId = "client-trial-0c41d2";

    private static LlmRouterOptions Options(OpenAIWireServer primary, OpenAIWireServer secondary)
    {
        LlmRouterOptions options = WireProviders.PrimaryAndSecondary(primary, secondary);
        options.Prices["gpt-primary"] = new ModelPriceOptions { InputPerMillion = 1, OutputPerMillion = 2, MaxOutputTokens = 100 };
        options.Prices["gpt-secondary"] = new ModelPriceOptions { InputPerMillion = 1, OutputPerMillion = 2, MaxOutputTokens = 100 };
        options.Keys[KeyId] = new KeyOptions { Models = ["primary", "secondary"], Regions = ["eu"], RateLimit = new RateLimitOptions { RequestsPerMinute = 4 } };
        options.Keys[PoorKeyId] = new KeyOptions { Models = ["*"], Regions = ["eu"], Budget = new BudgetOptions { Limit = 0.000_000_01m } };
        options.Audit.FlushInterval = TimeSpan.Zero;
        options.Audit.ShutdownTimeout = TimeSpan.Zero;
        return options;
    }

    private static ChatOptions As(string key, string model) => new ChatOptions { ModelId = model }.WithRouterKey(key);

    [Fact]
    public async Task Decisions_fallbacks_refusals_and_store_failures_are_logged_at_their_levels_without_prompt_key_or_api_key()
    {
        await using var primary = await OpenAIWireServer.StartAsync();
        await using var secondary = await OpenAIWireServer.StartAsync();
        primary.RespondWith(WireBehavior.ServerError());
        var audit = new InMemoryAuditStore();
        audit.FailNext(int.MaxValue);
        IReadOnlyList<FakeLogRecord> records;
        await using (LlmRouterClient router = LlmRouterClient.Create(Options(primary, secondary), b => b
            .UseTimeProvider(Routers.Clock())
            .Services.AddSingleton<IAuditStore>(audit).AddLogging(l => l.SetMinimumLevel(LogLevel.Trace).AddFakeLogging())))
        {
            await router.GetResponseAsync(Prompt, As(KeyId, "secondary"));
            await router.GetResponseAsync(Prompt, As(KeyId, "primary"));
            await Assert.ThrowsAsync<ModelNotAllowedException>(() => router.GetResponseAsync(Prompt, As(KeyId, "gpt-4o")));
            await Assert.ThrowsAsync<UnknownModelException>(() => router.GetResponseAsync(Prompt, As(PoorKeyId, "made-up-model")));
            await Assert.ThrowsAsync<BudgetExceededException>(() => router.GetResponseAsync(Prompt, As(PoorKeyId, "secondary")));
            await Assert.ThrowsAsync<RateLimitExceededException>(async () =>
            {
                for (int i = 0; i < 10; i++)
                {
                    await router.GetResponseAsync(Prompt, As(KeyId, "secondary"));
                }
            });
            // The store counts its attempt before it throws, and the writer logs the failure after: wait for the line.
            await Until.TrueAsync(() => router.Services.GetFakeLogCollector().GetSnapshot().Any(r => r.Level == LogLevel.Error), "the audit writer's first failed attempt, logged");
            records = router.Services.GetFakeLogCollector().GetSnapshot();
        }

        // One line per routing decision (each attempt) and per request, at Debug.
        Assert.Contains(records, r => (r.Id.Id, r.Level) == (1001, LogLevel.Debug) && r.Message.StartsWith("Routed secondary to b/gpt-secondary in region eu: Succeeded", StringComparison.Ordinal));
        Assert.Contains(records, r => (r.Id.Id, r.Level) == (1501, LogLevel.Debug) && r.Message.StartsWith("Request for secondary: Served (-), served by b/gpt-secondary in region eu after 1 call(s)", StringComparison.Ordinal));
        Assert.Contains(records, r => (r.Id.Id, r.Level) == (1501, LogLevel.Debug) && r.Message.StartsWith("Request for primary: Served (-), served by b/gpt-secondary in region eu after 2 call(s)", StringComparison.Ordinal));

        // Fallbacks and refusals at Information.
        Assert.Contains(records, r => (r.Id.Id, r.Level, r.Message) == (1002, LogLevel.Information, "primary via a/gpt-primary failed with ServerError; falling back"));
        foreach (string reason in new[] { "model_not_allowed", "unknown_model", "budget_exceeded", "rate_limited" })
        {
            Assert.Contains(records, r => r.Id.Id == 1201 && r.Level == LogLevel.Information && r.Message.EndsWith(": " + reason, StringComparison.Ordinal));
        }

        // The audit store's failure at Error, once, beside the writer's warning per retry.
        FakeLogRecord auditDown = Assert.Single(records, r => r.Level == LogLevel.Error);
        Assert.Equal((1502, "LlmRouter.Audit"), (auditDown.Id.Id, auditDown.Category));
        Assert.StartsWith("The audit store refused a batch (IOException)", auditDown.Message, StringComparison.Ordinal);
        Assert.Contains(records, r => r.Category == "LlmRouter.Audit" && r.Level == LogLevel.Warning && r.Message.StartsWith("Writing ", StringComparison.Ordinal));

        AssertNothingSecret(records);
    }

    [Fact]
    public async Task A_budget_store_that_cannot_be_reached_is_logged_at_Error_and_the_request_is_refused()
    {
        await using var primary = await OpenAIWireServer.StartAsync();
        await using var secondary = await OpenAIWireServer.StartAsync();
        await using LlmRouterClient router = LlmRouterClient.Create(Options(primary, secondary), b => b
            .Services.AddSingleton<IBudgetStore>(new UnreachableBudgetStore()).AddLogging(l => l.SetMinimumLevel(LogLevel.Trace).AddFakeLogging()));

        await Assert.ThrowsAsync<BudgetUnavailableException>(() => router.GetResponseAsync(Prompt, As(PoorKeyId, "secondary")));

        IReadOnlyList<FakeLogRecord> records = router.Services.GetFakeLogCollector().GetSnapshot();
        // The reservation's outcome is unknown, so it is settled anyway — which fails too.
        FakeLogRecord[] errors = [.. records.Where(r => r.Level == LogLevel.Error)];
        Assert.Equal([(1405, "LlmRouter.Budget"), (1404, "LlmRouter.Budget")], errors.Select(e => (e.Id.Id, e.Category)));
        Assert.Equal("The budget store could not reserve a request for secondary; the request is refused", errors[0].Message);
        Assert.Equal(0, secondary.RequestCount);
        AssertNothingSecret(records);
    }

    private static void AssertNothingSecret(IReadOnlyList<FakeLogRecord> records)
    {
        Assert.NotEmpty(records);
        foreach (FakeLogRecord record in records)
        {
            string[] texts =
            [
                record.Message,
                string.Join(";", record.StructuredState ?? []),
                string.Join(";", record.Scopes),
                record.Exception?.ToString() ?? string.Empty,
            ];
            foreach (string text in texts)
            {
                foreach (string secret in new[] { "PROMPT-TEXT-5f2e", "Alice Example", KeyId, PoorKeyId, WireProviders.ApiKey })
                {
                    Assert.False(text.Contains(secret, StringComparison.OrdinalIgnoreCase), $"'{secret}' is in a log record ({record.Id}, {record.Category}): {text}");
                }
            }
        }
    }
}
