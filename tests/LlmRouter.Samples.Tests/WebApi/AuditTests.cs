using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LlmRouter.Samples.Tests.Support;

namespace LlmRouter.Samples.Tests.WebApi;

/// <summary>
/// One audit log for both paths: every request over <c>/v1</c> and every in-process call has its record, under the id
/// the caller was given (<c>x-request-id</c>, <c>requestId</c>), refusals included.
/// </summary>
public class AuditTests
{
    [Fact]
    public async Task A_completion_a_stream_and_a_refusal_over_HTTP_each_have_the_record_their_x_request_id_names()
    {
        await using SampleHost host = await SampleHost.StartAsync();
        using HttpClient client = host.Client();

        using HttpResponseMessage completion = await client.PostAsync("v1/chat/completions", ChatCompletionTests.Json(new { model = "assistant", user = "alice@acme", messages = new[] { new { role = "user", content = "Hi" } } }));
        JsonElement usage = EventStream.Json(await completion.Content.ReadAsStringAsync()).GetProperty("usage");
        using HttpResponseMessage stream = await StreamingTests.PostStreamAsync(client, new { model = "assistant-ch", stream = true, messages = new[] { new { role = "user", content = "Hi" } } });
        using (EventStream events = await EventStream.OpenAsync(stream))
        {
            await events.ReadAllAsync();
        }

        using HttpResponseMessage refusal = await ErrorMappingTests.AskAsync(client, "summarizer");

        JsonElement served = await RecordAsync(client, completion);
        Assert.Equal(("client-chat", "acme", "alice@acme"), (served.GetProperty("key").GetString(), served.GetProperty("tenant").GetString(), served.GetProperty("user").GetString()));
        Assert.Equal(["openai-endpoint", "client:acme-chat"], served.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(("assistant", "assistant", "eu-sim", "eu", "Served", false), (
            served.GetProperty("requestedModel").GetString(), served.GetProperty("servedModel").GetString(), served.GetProperty("provider").GetString(),
            served.GetProperty("region").GetString(), served.GetProperty("status").GetString(), served.GetProperty("streaming").GetBoolean()));
        Assert.Equal(
            (usage.GetProperty("prompt_tokens").GetInt64(), usage.GetProperty("completion_tokens").GetInt64()),
            (served.GetProperty("inputTokens").GetInt64(), served.GetProperty("outputTokens").GetInt64()));
        Assert.True(served.GetProperty("cost").GetDecimal() > 0);

        JsonElement streamed = await RecordAsync(client, stream);
        Assert.Equal(("assistant-ch", "ch", "Served", true), (streamed.GetProperty("servedModel").GetString(), streamed.GetProperty("region").GetString(), streamed.GetProperty("status").GetString(), streamed.GetProperty("streaming").GetBoolean()));

        JsonElement refused = await RecordAsync(client, refusal);
        Assert.Equal(("summarizer", "Rejected", "model_not_allowed"), (refused.GetProperty("requestedModel").GetString(), refused.GetProperty("status").GetString(), refused.GetProperty("reasonCode").GetString()));
        Assert.Empty(refused.GetProperty("attempts").EnumerateArray());
    }

    [Fact]
    public async Task The_in_process_path_writes_to_the_same_log_and_todays_spend_shows_both_keys()
    {
        await using SampleHost host = await SampleHost.StartAsync();
        using HttpClient client = host.Client();

        using HttpResponseMessage overHttp = await ErrorMappingTests.AskAsync(client, "assistant");
        using HttpResponseMessage inProcess = await client.PostAsJsonAsync("internal/summarize", new { text = "Quarter close.", user = "bob@acme" });
        Guid summaryId = EventStream.Json(await inProcess.Content.ReadAsStringAsync()).GetProperty("requestId").GetGuid();

        JsonElement record = EventStream.Json(await client.GetStringAsync($"internal/audit/{summaryId}"));
        Assert.Equal(("back-office", "acme", "bob@acme", "summarizer", "Served"), (
            record.GetProperty("key").GetString(), record.GetProperty("tenant").GetString(), record.GetProperty("user").GetString(),
            record.GetProperty("servedModel").GetString(), record.GetProperty("status").GetString()));
        Assert.Equal(["in-process"], record.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));

        JsonElement[] spend = [.. EventStream.Json(await client.GetStringAsync("internal/spend")).EnumerateArray()];
        Assert.Equal([("back-office", "Served", 1L), ("client-chat", "Served", 1L)], spend.Select(row => (row.GetProperty("key").GetString(), row.GetProperty("status").GetString(), row.GetProperty("requests").GetInt64())));
        Assert.All(spend, row => Assert.True(row.GetProperty("cost").GetDecimal() > 0));
    }

    [Fact]
    public async Task A_request_id_without_a_record_is_404()
    {
        await using SampleHost host = await SampleHost.StartAsync();
        using HttpClient client = host.Client(token: null);

        using HttpResponseMessage response = await client.GetAsync($"internal/audit/{Guid.CreateVersion7()}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    /// <summary>Reads the record of an answer's <c>x-request-id</c>; the sample writes records synchronously, so it is there.</summary>
    private static async Task<JsonElement> RecordAsync(HttpClient client, HttpResponseMessage answer)
    {
        Guid id = Guid.Parse(ErrorMappingTests.Header(answer, "x-request-id")!);
        JsonElement record = EventStream.Json(await client.GetStringAsync($"internal/audit/{id}"));
        Assert.Equal(id, record.GetProperty("id").GetGuid());
        return record;
    }
}
