using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LlmRouter.Samples.Tests.Support;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;

namespace LlmRouter.Samples.Tests.WebApi;

/// <summary>The application's own .NET code on the same router as the OpenAI-compatible endpoint: one set of keys and limits.</summary>
public class InProcessTests
{
    [Fact]
    public async Task The_dotnet_endpoint_calls_LlmRouter_in_process_under_the_back_offices_key_and_reports_the_route()
    {
        var stub = new StubProvider();
        await using SampleHost host = await Settings.StartWithStubAsync(stub, SummarizerOnStub());
        using HttpClient client = host.Client(token: null);

        using HttpResponseMessage response = await client.PostAsJsonAsync("internal/summarize", new { text = "The ledger changed a lot this quarter.", user = "bob@acme" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        JsonElement body = EventStream.Json(await response.Content.ReadAsStringAsync());
        Assert.Equal("Hello from the stub.", body.GetProperty("summary").GetString());
        Assert.Equal(("summarizer", "stub", "eu"), (body.GetProperty("servedModel").GetString(), body.GetProperty("provider").GetString(), body.GetProperty("region").GetString()));
        Assert.Equal(7, body.GetProperty("requestId").GetGuid().Version);
        Assert.True(body.GetProperty("cost").GetDecimal() > 0);
        StubCall call = Assert.Single(stub.Calls);
        Assert.Equal("bob@acme", call.Caller?.User);
        Assert.Equal(["in-process"], call.Caller!.Tags);
        Assert.Equal("The ledger changed a lot this quarter.", call.Messages[^1].Text);
    }

    [Fact]
    public async Task Requests_over_HTTP_and_in_process_count_against_the_same_tenant_limit()
    {
        var stub = new StubProvider();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));
        Dictionary<string, string?> settings = Settings.WithStub(SummarizerOnStub());
        settings["LlmRouter:Tenants:acme:RateLimit:RequestsPerMinute"] = "2";
        await using SampleHost host = await SampleHost.StartAsync(settings, router => router.AddProvider("stub", stub).UseTimeProvider(clock));
        using HttpClient client = host.Client();

        using HttpResponseMessage overHttp = await ErrorMappingTests.AskAsync(client, Settings.StubModel);
        using HttpResponseMessage inProcess = await client.PostAsJsonAsync("internal/summarize", new { text = "Quarter close." });
        using HttpResponseMessage refusedOverHttp = await ErrorMappingTests.AskAsync(client, Settings.StubModel);
        using HttpResponseMessage refusedInProcess = await client.PostAsJsonAsync("internal/summarize", new { text = "Quarter close." });

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (overHttp.StatusCode, inProcess.StatusCode));
        Assert.Equal((HttpStatusCode)429, refusedOverHttp.StatusCode);
        Assert.Contains("the tenant's limit of 2 requests per minute", (await ErrorMappingTests.ReadErrorAsync(refusedOverHttp)).Message, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode)429, refusedInProcess.StatusCode);
        Assert.Equal("rate_limited", EventStream.Json(await refusedInProcess.Content.ReadAsStringAsync()).GetProperty("reasonCode").GetString());
        Assert.Equal(2, stub.Calls.Count);
    }

    [Fact]
    public async Task Spend_over_HTTP_counts_against_the_tenant_budget_the_in_process_path_draws_on_too()
    {
        // The stub bills 2,000 output tokens at gpt-4o-mini's price ($0.0012) for a request that asked for at most 10.
        var stub = new StubProvider
        {
            Answer = () => new ChatResponse(new ChatMessage(ChatRole.Assistant, "A long answer.")) { Usage = new UsageDetails { InputTokenCount = 20, OutputTokenCount = 2000 } },
        };
        Dictionary<string, string?> settings = Settings.WithStub(SummarizerOnStub());
        settings["LlmRouter:Tenants:acme:Budget:Limit"] = "0.001";
        settings["LlmRouter:Tenants:acme:Budget:Period"] = "Total";
        await using SampleHost host = await Settings.StartWithStubAsync(stub, settings);
        using HttpClient client = host.Client();

        using HttpResponseMessage overHttp = await ErrorMappingTests.AskAsync(client, Settings.StubModel, maxTokens: 10);
        using HttpResponseMessage inProcess = await client.PostAsJsonAsync("internal/summarize", new { text = "Quarter close." });

        Assert.Equal(HttpStatusCode.OK, overHttp.StatusCode);
        Assert.Equal((HttpStatusCode)429, inProcess.StatusCode);
        JsonElement problem = EventStream.Json(await inProcess.Content.ReadAsStringAsync());
        Assert.Equal("budget_exceeded", problem.GetProperty("reasonCode").GetString());
        Assert.StartsWith("Budget exceeded: the tenant's total budget of $0.001 ($0.001203 spent", problem.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Single(stub.Calls);
    }

    [Fact]
    public async Task The_budget_endpoint_shows_the_tenant_budget_both_paths_draw_on()
    {
        var stub = new StubProvider();
        await using SampleHost host = await Settings.StartWithStubAsync(stub, SummarizerOnStub());
        using HttpClient client = host.Client();

        using HttpResponseMessage overHttp = await ErrorMappingTests.AskAsync(client, Settings.StubModel);
        using HttpResponseMessage inProcess = await client.PostAsJsonAsync("internal/summarize", new { text = "Quarter close." });
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (overHttp.StatusCode, inProcess.StatusCode));
        decimal inProcessCost = EventStream.Json(await inProcess.Content.ReadAsStringAsync()).GetProperty("cost").GetDecimal();
        JsonElement[] chat = [.. EventStream.Json(await client.GetStringAsync("internal/budget/client-chat")).EnumerateArray()];
        JsonElement[] backOffice = [.. EventStream.Json(await client.GetStringAsync("internal/budget/back-office")).EnumerateArray()];
        using HttpResponseMessage unknown = await client.GetAsync("internal/budget/nobody");

        // The /v1 client's key has a budget of its own; the tenant's counts what both paths spent.
        Assert.Equal([("Key", "client-chat", "Monthly", 5m), ("Tenant", "acme", "Monthly", 50m)], chat.Select(View));
        decimal overHttpCost = chat[0].GetProperty("spent").GetDecimal();
        Assert.True(overHttpCost > 0 && inProcessCost > 0, $"both calls are priced: {overHttpCost}, {inProcessCost}");
        Assert.Equal(overHttpCost + inProcessCost, chat[1].GetProperty("spent").GetDecimal());
        Assert.Equal(5m - overHttpCost, chat[0].GetProperty("remaining").GetDecimal());
        Assert.Equal([("Tenant", "acme", "Monthly", 50m)], backOffice.Select(View));
        Assert.Equal(chat[1].GetProperty("spent").GetDecimal(), backOffice[0].GetProperty("spent").GetDecimal());
        Assert.True(backOffice[0].GetProperty("resetsAt").GetDateTimeOffset() > DateTimeOffset.UtcNow);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        static (string?, string?, string?, decimal) View(JsonElement budget) =>
            (budget.GetProperty("scope").GetString(), budget.GetProperty("name").GetString(), budget.GetProperty("period").GetString(), budget.GetProperty("limit").GetDecimal());
    }

    /// <summary>Serves the in-process endpoint's alias from the stub provider too.</summary>
    private static Dictionary<string, string?> SummarizerOnStub() => new()
    {
        ["LlmRouter:Models:summarizer:Deployments:0:Provider"] = "stub",
        ["LlmRouter:Models:summarizer:Deployments:0:Model"] = "stub-small",
        ["LlmRouter:Models:summarizer:Deployments:0:PriceAs"] = "gpt-4o-mini",
    };
}
