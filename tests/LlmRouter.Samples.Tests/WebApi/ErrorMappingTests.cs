using System.Net;
using System.Text.Json;
using LlmRouter.Samples.Tests.Support;
using LlmRouter.Tests.Support;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;

namespace LlmRouter.Samples.Tests.WebApi;

/// <summary>
/// LlmRouter's refusals and failures as an OpenAI client sees them: status, <c>{"error": {message, type, param, code}}</c>,
/// and the retry advice its SDK obeys — row by row the table in docs/endpoint.md.
/// </summary>
public class ErrorMappingTests
{
    private const string Token = "sk-test-errors-5f1c";

    [Fact]
    public async Task A_model_outside_the_whitelist_is_403_permission_error_model_not_allowed_with_the_request_id()
    {
        await using SampleHost host = await SampleHost.StartAsync();
        using HttpClient client = host.Client();

        using HttpResponseMessage response = await AskAsync(client, "summarizer");

        Error error = await ReadErrorAsync(response);
        Assert.Equal((HttpStatusCode.Forbidden, "permission_error", "model_not_allowed", "model"), (response.StatusCode, error.Type, error.Code, error.Param));
        Assert.Equal("The caller's key may not use model 'summarizer'.", error.Message);
        Assert.Equal("false", Header(response, "x-should-retry"));
        Assert.Equal(7, Guid.Parse(Header(response, "x-request-id")!).Version);
    }

    [Fact]
    public async Task A_model_deployed_only_outside_the_keys_regions_is_403_region_not_allowed()
    {
        Dictionary<string, string?> settings = new Dictionary<string, string?>().Key("eu-only", ["assistant-ch"], ["eu"]).Client("eu-app", "eu-only", Token);
        await using SampleHost host = await SampleHost.StartAsync(settings);
        using HttpClient client = host.Client(Token);

        using HttpResponseMessage response = await AskAsync(client, "assistant-ch");

        Error error = await ReadErrorAsync(response);
        Assert.Equal((HttpStatusCode.Forbidden, "permission_error", "region_not_allowed", "model"), (response.StatusCode, error.Type, error.Code, error.Param));
        Assert.Contains("(ch)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_name_that_is_no_alias_is_404_model_not_found_for_a_key_that_may_use_any_model()
    {
        Dictionary<string, string?> settings = new Dictionary<string, string?>().Client("ops", "back-office", Token);
        await using SampleHost host = await SampleHost.StartAsync(settings);
        using HttpClient client = host.Client(Token);

        using HttpResponseMessage response = await AskAsync(client, "gpt-4o");

        Error error = await ReadErrorAsync(response);
        Assert.Equal((HttpStatusCode.NotFound, "invalid_request_error", "model_not_found", "model"), (response.StatusCode, error.Type, error.Code, error.Param));
        Assert.Equal("Unknown model 'gpt-4o'.", error.Message);
    }

    [Fact]
    public async Task Personal_data_the_keys_policy_blocks_is_400_policy_violation_and_never_echoed()
    {
        Dictionary<string, string?> settings = new Dictionary<string, string?>()
            .Key("guarded", ["assistant"], ["eu", "ch"], ("Pii:Kinds:card", "Block"))
            .Client("shop", "guarded", Token);
        await using SampleHost host = await SampleHost.StartAsync(settings);
        using HttpClient client = host.Client(Token);

        using HttpResponseMessage response = await AskAsync(client, "assistant", "Charge 4111 1111 1111 1111 please.");

        string raw = await response.Content.ReadAsStringAsync();
        Error error = Error.From(raw);
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_request_error", "policy_violation", "messages"), (response.StatusCode, error.Type, error.Code, error.Param));
        Assert.Contains("card (1)", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("4111", raw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rate_limit_is_429_rate_limit_error_with_retry_after_rounded_up_and_a_retry_the_client_may_make()
    {
        var stub = new StubProvider();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));
        Dictionary<string, string?> settings = Settings.WithStub()
            .Key("metered", [Settings.StubModel], ["eu"], ("RateLimit:RequestsPerMinute", "1"))
            .Client("batch", "metered", Token);
        await using SampleHost host = await SampleHost.StartAsync(settings, router => router.AddProvider("stub", stub).UseTimeProvider(clock));
        using HttpClient client = host.Client(Token);

        using HttpResponseMessage first = await AskAsync(client, Settings.StubModel);
        clock.Advance(TimeSpan.FromSeconds(0.5));
        using HttpResponseMessage second = await AskAsync(client, Settings.StubModel);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Error error = await ReadErrorAsync(second);
        Assert.Equal(((HttpStatusCode)429, "rate_limit_error", "rate_limited"), (second.StatusCode, error.Type, error.Code));
        Assert.Equal("60", Header(second, "retry-after"));
        Assert.Equal("59500", Header(second, "retry-after-ms"));
        Assert.Equal("true", Header(second, "x-should-retry"));
        Assert.Single(stub.Calls);
    }

    [Fact]
    public async Task A_rate_limit_that_frees_up_only_after_more_than_a_minute_tells_the_client_not_to_retry()
    {
        // The provider reports far more tokens than were reserved: the bucket goes into debt for several minutes.
        var stub = new StubProvider
        {
            Answer = () => new ChatResponse(new ChatMessage(ChatRole.Assistant, "long")) { Usage = new UsageDetails { InputTokenCount = 20, OutputTokenCount = 1000 } },
        };
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));
        Dictionary<string, string?> settings = Settings.WithStub()
            .Key("metered", [Settings.StubModel], ["eu"], ("RateLimit:TokensPerMinute", "200"))
            .Client("batch", "metered", Token);
        await using SampleHost host = await SampleHost.StartAsync(settings, router => router.AddProvider("stub", stub).UseTimeProvider(clock));
        using HttpClient client = host.Client(Token);

        using HttpResponseMessage first = await AskAsync(client, Settings.StubModel, maxTokens: 5);
        using HttpResponseMessage second = await AskAsync(client, Settings.StubModel, maxTokens: 5);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal((HttpStatusCode)429, second.StatusCode);
        Assert.Equal("false", Header(second, "x-should-retry"));
        Assert.InRange(int.Parse(Header(second, "retry-after")!, System.Globalization.CultureInfo.InvariantCulture), 61, 600);
    }

    [Fact]
    public async Task A_budget_refusal_is_429_budget_exceeded_that_the_client_must_not_retry_and_is_on_record()
    {
        await using SampleHost host = await SampleHost.StartAsync();
        using HttpClient trial = host.Client(SampleHost.TrialToken);

        // The trial key may spend a cent a day: without max_tokens the worst case (16,384 output tokens) is far more.
        using HttpResponseMessage refused = await AskAsync(trial, "assistant");
        using HttpResponseMessage bounded = await AskAsync(trial, "assistant", maxTokens: 100);

        Error error = await ReadErrorAsync(refused);
        Assert.Equal(((HttpStatusCode)429, "budget_exceeded", "budget_exceeded", null), (refused.StatusCode, error.Type, error.Code, error.Param));
        Assert.StartsWith("Budget exceeded: the key's daily budget of $0.01", error.Message, StringComparison.Ordinal);
        Assert.Equal("false", Header(refused, "x-should-retry"));
        Assert.Null(Header(refused, "retry-after"));
        Assert.Equal(HttpStatusCode.OK, bounded.StatusCode);
        JsonElement record = EventStream.Json(await trial.GetStringAsync($"internal/audit/{Header(refused, "x-request-id")}"));
        Assert.Equal(("trial", "Rejected", "budget_exceeded"), (record.GetProperty("key").GetString(), record.GetProperty("status").GetString(), record.GetProperty("reasonCode").GetString()));
    }

    [Fact]
    public async Task The_budget_store_down_is_503_budget_unavailable_and_the_request_is_not_sent()
    {
        // A database file in a directory that does not exist. Buffered audit, so only the budget store's failure reaches
        // the request (the sample's Synchronous audit would turn it into audit_unavailable: audit or nothing).
        string unreachable = Path.Combine(Path.GetTempPath(), $"llmrouter-missing-{Guid.NewGuid():N}", "audit.db");
        var settings = new Dictionary<string, string?>
        {
            ["LlmRouter:Audit:Durability"] = "Buffered",
            ["LlmRouter:Audit:ShutdownTimeout"] = "00:00:01",
        };
        await using SampleHost host = await SampleHost.StartAsync(settings, auditDatabase: unreachable);
        using HttpClient budgeted = host.Client();

        using HttpResponseMessage budgetDown = await AskAsync(budgeted, "assistant");

        await AssertStoreUnavailableAsync(budgetDown, "budget_unavailable", unreachable);
    }

    [Fact]
    public async Task The_audit_store_down_is_503_audit_unavailable_because_a_synchronous_audit_means_audit_or_nothing()
    {
        string unreachable = Path.Combine(Path.GetTempPath(), $"llmrouter-missing-{Guid.NewGuid():N}", "audit.db");
        Dictionary<string, string?> settings = new Dictionary<string, string?> { ["LlmRouter:Audit:ShutdownTimeout"] = "00:00:01" }
            .Client("ops", "back-office", Token);
        await using SampleHost host = await SampleHost.StartAsync(settings, auditDatabase: unreachable);
        using HttpClient budgeted = host.Client();
        using HttpClient unbudgeted = host.Client(Token);

        using HttpResponseMessage bothDown = await AskAsync(budgeted, "assistant");
        using HttpResponseMessage auditDown = await AskAsync(unbudgeted, "assistant");

        await AssertStoreUnavailableAsync(bothDown, "audit_unavailable", unreachable);
        await AssertStoreUnavailableAsync(auditDown, "audit_unavailable", unreachable);
    }

    /// <summary>A store of the gateway's own is down: 503, the SDK's default retries apply, and the store's path is not told.</summary>
    private static async Task AssertStoreUnavailableAsync(HttpResponseMessage response, string code, string storePath)
    {
        Error error = await ReadErrorAsync(response);
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "server_error", code), (response.StatusCode, error.Type, error.Code));
        Assert.DoesNotContain(storePath, error.Message, StringComparison.Ordinal);
        Assert.Null(Header(response, "x-should-retry"));
    }

    [Fact]
    public async Task Every_deployment_failing_is_502_server_error_all_deployments_failed_without_naming_the_providers()
    {
        var stub = new StubProvider { Failure = new HttpRequestException("stub-1 overloaded", null, HttpStatusCode.ServiceUnavailable) };
        await using SampleHost host = await Settings.StartWithStubAsync(stub);
        using HttpClient client = host.Client();

        using HttpResponseMessage response = await AskAsync(client, Settings.StubModel);

        string raw = await response.Content.ReadAsStringAsync();
        Error error = Error.From(raw);
        Assert.Equal((HttpStatusCode.BadGateway, "server_error", "all_deployments_failed"), (response.StatusCode, error.Type, error.Code));
        Assert.Null(Header(response, "x-should-retry"));
        Assert.NotNull(Header(response, "x-request-id"));
        Assert.DoesNotContain("stub-1", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("overloaded", raw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_502_after_the_fallback_chain_failed_too_has_every_attempt_in_its_audit_record()
    {
        var stub = new StubProvider { Failure = new HttpRequestException("stub-1 overloaded", null, HttpStatusCode.ServiceUnavailable) };
        await using SampleHost host = await Settings.StartWithStubAsync(stub, FallingBackToAFailingAlias());
        using HttpClient client = host.Client();

        using HttpResponseMessage response = await AskAsync(client, Settings.StubModel);

        string raw = await response.Content.ReadAsStringAsync();
        Error error = Error.From(raw);
        Assert.Equal((HttpStatusCode.BadGateway, "server_error", "all_deployments_failed"), (response.StatusCode, error.Type, error.Code));
        Assert.DoesNotContain("ch-sim", raw, StringComparison.Ordinal);
        JsonElement record = EventStream.Json(await client.GetStringAsync($"internal/audit/{Header(response, "x-request-id")}"));
        Assert.Equal(("Failed", "all_deployments_failed"), (record.GetProperty("status").GetString(), record.GetProperty("reasonCode").GetString()));
        Assert.Equal(
            [(Settings.StubModel, "stub", "eu", "Failed", "ServerError"), ("assistant-ch", "ch-sim", "ch", "Failed", "ServerError")],
            record.GetProperty("attempts").EnumerateArray().Select(a => (
                a.GetProperty("model").GetString(), a.GetProperty("provider").GetString(), a.GetProperty("region").GetString(),
                a.GetProperty("outcome").GetString(), a.GetProperty("errorClass").GetString())));
        Assert.Single(stub.Calls);
    }

    /// <summary>The stub's alias falls back to <c>assistant-ch</c>, whose Simulated provider fails every call with a 503.</summary>
    internal static Dictionary<string, string?> FallingBackToAFailingAlias() => new()
    {
        [$"LlmRouter:Models:{Settings.StubModel}:Fallbacks:0"] = "assistant-ch",
        ["LlmRouter:Providers:ch-sim:FailureRate"] = "1",
        ["LlmRouter:Providers:ch-sim:FailureKind"] = "ServiceUnavailable",
    };

    [Fact]
    public async Task A_prompt_too_long_for_every_deployment_is_400_context_length_exceeded_and_reaches_no_provider()
    {
        var stub = new StubProvider();
        await using SampleHost host = await Settings.StartWithStubAsync(stub, new() { [$"LlmRouter:Prices:{Settings.StubModel}:MaxInputTokens"] = "30" });
        using HttpClient client = host.Client();

        using HttpResponseMessage response = await AskAsync(client, Settings.StubModel, string.Join(' ', Enumerable.Repeat("ledger", 200)));

        Error error = await ReadErrorAsync(response);
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_request_error", "context_length_exceeded", "messages"), (response.StatusCode, error.Type, error.Code, error.Param));
        Assert.Empty(stub.Calls);
    }

    [Fact]
    public async Task A_request_the_provider_refuses_as_malformed_is_400_with_its_reason_and_secrets_redacted()
    {
        var stub = new StubProvider { Failure = new HttpRequestException("Invalid value for 'temperature' (key sk-proj-AbCdEfGhIjKlMnOpQrStUvWx0123456789)", null, HttpStatusCode.BadRequest) };
        await using SampleHost host = await Settings.StartWithStubAsync(stub);
        using HttpClient client = host.Client();

        using HttpResponseMessage response = await AskAsync(client, Settings.StubModel);

        string raw = await response.Content.ReadAsStringAsync();
        Error error = Error.From(raw);
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_request_error", "provider_error"), (response.StatusCode, error.Type, error.Code));
        Assert.Contains("Invalid value for 'temperature'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("AbCdEfGhIjKlMnOp", raw, StringComparison.Ordinal);
        Assert.Equal("false", Header(response, "x-should-retry"));
    }

    [Fact]
    public async Task The_gateways_own_provider_credentials_refused_is_502_and_not_retried()
    {
        var stub = new StubProvider { Failure = new HttpRequestException("Incorrect API key provided", null, HttpStatusCode.Unauthorized) };
        await using SampleHost host = await Settings.StartWithStubAsync(stub);
        using HttpClient client = host.Client();

        using HttpResponseMessage response = await AskAsync(client, Settings.StubModel);

        Error error = await ReadErrorAsync(response);
        Assert.Equal((HttpStatusCode.BadGateway, "server_error", "provider_error"), (response.StatusCode, error.Type, error.Code));
        Assert.DoesNotContain("Incorrect API key", error.Message, StringComparison.Ordinal);
        Assert.Equal("false", Header(response, "x-should-retry"));
    }

    [Fact]
    public async Task A_real_OpenAI_provider_set_in_configuration_serves_through_the_SDK_and_its_content_filter_is_400_content_filter()
    {
        await using OpenAIWireServer openai = await OpenAIWireServer.StartAsync();
        openai.Enqueue(WireBehavior.Reply("Served by the wire.", new WireUsage(11, 4)), WireBehavior.ContentFiltered());
        Dictionary<string, string?> settings = new Dictionary<string, string?>
        {
            ["LlmRouter:Providers:openai:Kind"] = "OpenAI",
            ["LlmRouter:Providers:openai:Region"] = "eu",
            ["LlmRouter:Providers:openai:Endpoint"] = openai.Endpoint.ToString(),
            ["LlmRouter:Providers:openai:ApiKey"] = "sk-configured-0123456789",
            ["LlmRouter:Models:gpt-4o-mini:Deployments:0:Provider"] = "openai",
            ["LlmRouter:Models:gpt-4o-mini:Deployments:0:Model"] = "gpt-4o-mini-2024-07-18",
        }.Key("real", ["gpt-4o-mini"], ["eu"]).Client("real-app", "real", Token);
        await using SampleHost host = await SampleHost.StartAsync(settings);
        using HttpClient client = host.Client(Token);

        using HttpResponseMessage served = await AskAsync(client, "gpt-4o-mini");
        using HttpResponseMessage filtered = await AskAsync(client, "gpt-4o-mini");

        JsonElement body = EventStream.Json(await served.Content.ReadAsStringAsync());
        Assert.Equal("Served by the wire.", body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        Assert.Equal(15, body.GetProperty("usage").GetProperty("total_tokens").GetInt32());
        Assert.Equal("Bearer sk-configured-0123456789", openai.Requests[0].Headers["Authorization"]);
        Assert.Equal("gpt-4o-mini-2024-07-18", openai.Requests[0].Model);
        Error error = await ReadErrorAsync(filtered);
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_request_error", "content_filter", "messages"), (filtered.StatusCode, error.Type, error.Code, error.Param));
    }

    [Fact]
    public async Task A_request_every_content_policy_fallback_filters_too_is_400_content_filter()
    {
        await using OpenAIWireServer openai = await OpenAIWireServer.StartAsync();
        openai.RespondWith(WireBehavior.ContentFiltered());
        Dictionary<string, string?> settings = new Dictionary<string, string?>
        {
            ["LlmRouter:Providers:openai:Kind"] = "OpenAI",
            ["LlmRouter:Providers:openai:Region"] = "eu",
            ["LlmRouter:Providers:openai:Endpoint"] = openai.Endpoint.ToString(),
            ["LlmRouter:Providers:openai:ApiKey"] = "sk-configured-0123456789",
            ["LlmRouter:Models:strict:Deployments:0:Provider"] = "openai",
            ["LlmRouter:Models:strict:Deployments:0:Model"] = "gpt-4o-mini",
            ["LlmRouter:Models:strict:ContentPolicyFallbacks:0"] = "lenient",
            ["LlmRouter:Models:lenient:Deployments:0:Provider"] = "openai",
            ["LlmRouter:Models:lenient:Deployments:0:Model"] = "gpt-4o",
        }.Key("real", ["strict", "lenient"], ["eu"]).Client("real-app", "real", Token);
        await using SampleHost host = await SampleHost.StartAsync(settings);
        using HttpClient client = host.Client(Token);

        using HttpResponseMessage response = await AskAsync(client, "strict");

        Error error = await ReadErrorAsync(response);
        Assert.Equal((HttpStatusCode.BadRequest, "content_filter"), (response.StatusCode, error.Code));
        Assert.Equal(["gpt-4o-mini", "gpt-4o"], openai.Requests.Select(r => r.Model));
    }

    internal static Task<HttpResponseMessage> AskAsync(HttpClient client, string model, string prompt = "Summarize the ledger.", int? maxTokens = null) =>
        client.PostAsync("v1/chat/completions", ChatCompletionTests.Json(new Dictionary<string, object?>
        {
            ["model"] = model,
            ["messages"] = new[] { new { role = "user", content = prompt } },
            ["max_tokens"] = maxTokens,
        }));

    internal static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out IEnumerable<string>? values) ? string.Join(",", values) : null;

    internal static async Task<Error> ReadErrorAsync(HttpResponseMessage response) => Error.From(await response.Content.ReadAsStringAsync());

    /// <summary>OpenAI's error body, every field present.</summary>
    internal sealed record Error(string Message, string Type, string? Param, string? Code)
    {
        public static Error From(string raw)
        {
            JsonElement error = EventStream.Json(raw).GetProperty("error");
            Assert.Equal(["message", "type", "param", "code"], error.EnumerateObject().Select(p => p.Name));
            return new Error(error.GetProperty("message").GetString()!, error.GetProperty("type").GetString()!, error.GetProperty("param").GetString(), error.GetProperty("code").GetString());
        }
    }
}
