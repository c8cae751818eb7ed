using System.Net;
using System.Text.Json;
using LlmRouter.Samples.Tests.Support;
using Microsoft.Extensions.AI;

namespace LlmRouter.Samples.Tests.WebApi;

/// <summary><c>"stream": true</c>: server-sent events, chunk for chunk as OpenAI sends them.</summary>
public class StreamingTests
{
    [Fact]
    public async Task A_stream_sends_the_role_first_text_deltas_the_finish_reason_last_a_usage_chunk_and_DONE()
    {
        var stub = new StubProvider
        {
            StreamChunks = ["Bonjour", ", ", "Bern."],
            Answer = () => new ChatResponse(new ChatMessage(ChatRole.Assistant, "unused"))
            {
                FinishReason = ChatFinishReason.Length,
                Usage = new UsageDetails { InputTokenCount = 50, CachedInputTokenCount = 20, OutputTokenCount = 9, ReasoningTokenCount = 4 },
            },
        };
        await using SampleHost host = await Settings.StartWithStubAsync(stub);
        using HttpClient client = host.Client();

        using HttpResponseMessage response = await PostStreamAsync(client, new { model = Settings.StubModel, stream = true, stream_options = new { include_usage = true }, messages = new[] { new { role = "user", content = "Hi" } } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-cache", response.Headers.CacheControl?.ToString());
        Guid requestId = Guid.Parse(Assert.Single(response.Headers.GetValues("x-request-id")));
        using EventStream events = await EventStream.OpenAsync(response);
        List<string> data = await events.ReadAllAsync();

        // role, three text deltas, the finish reason, usage, [DONE]: LlmRouter's route-only last update is no frame.
        Assert.Equal(7, data.Count);
        Assert.Equal("[DONE]", data[^1]);
        JsonElement[] chunks = [.. data.SkipLast(1).Select(EventStream.Json)];
        foreach (JsonElement chunk in chunks)
        {
            Assert.Equal("chatcmpl-" + requestId.ToString("N"), chunk.GetProperty("id").GetString());
            Assert.Equal("chat.completion.chunk", chunk.GetProperty("object").GetString());
            Assert.Equal(Settings.StubModel, chunk.GetProperty("model").GetString());
            Assert.Equal(chunks[0].GetProperty("created").GetInt64(), chunk.GetProperty("created").GetInt64());
        }

        JsonElement[] choices = [.. chunks.SkipLast(1).Select(c => Assert.Single(c.GetProperty("choices").EnumerateArray()))];
        Assert.Equal("assistant", choices[0].GetProperty("delta").GetProperty("role").GetString());
        Assert.Equal(string.Empty, choices[0].GetProperty("delta").GetProperty("content").GetString());
        Assert.Equal(["Bonjour", ", ", "Bern."], choices[1..4].Select(c => c.GetProperty("delta").GetProperty("content").GetString()));
        Assert.All(choices[1..4], c => Assert.False(c.GetProperty("delta").TryGetProperty("role", out _)));
        Assert.All(choices[..^1], c => Assert.Equal(JsonValueKind.Null, c.GetProperty("finish_reason").ValueKind));
        Assert.Equal("length", choices[^1].GetProperty("finish_reason").GetString());
        Assert.Empty(choices[^1].GetProperty("delta").EnumerateObject());
        Assert.All(chunks.SkipLast(1), c => Assert.Equal(JsonValueKind.Null, c.GetProperty("usage").ValueKind)); // as OpenAI sends them

        JsonElement usageChunk = chunks[^1];
        Assert.Empty(usageChunk.GetProperty("choices").EnumerateArray());
        JsonElement usage = usageChunk.GetProperty("usage");
        Assert.Equal(
            (50, 9, 59, 20, 4),
            (usage.GetProperty("prompt_tokens").GetInt32(), usage.GetProperty("completion_tokens").GetInt32(), usage.GetProperty("total_tokens").GetInt32(),
             usage.GetProperty("prompt_tokens_details").GetProperty("cached_tokens").GetInt32(), usage.GetProperty("completion_tokens_details").GetProperty("reasoning_tokens").GetInt32()));
    }

    [Fact]
    public async Task Without_include_usage_a_stream_has_no_usage_chunk()
    {
        var stub = new StubProvider { StreamChunks = ["One", " two"] };
        await using SampleHost host = await Settings.StartWithStubAsync(stub);
        using HttpClient client = host.Client();

        using HttpResponseMessage response = await PostStreamAsync(client, new { model = Settings.StubModel, stream = true, messages = new[] { new { role = "user", content = "Hi" } } });
        using EventStream events = await EventStream.OpenAsync(response);
        List<string> data = await events.ReadAllAsync();

        Assert.Equal(5, data.Count);
        Assert.Equal("stop", Assert.Single(EventStream.Json(data[3]).GetProperty("choices").EnumerateArray()).GetProperty("finish_reason").GetString());
        Assert.Equal("[DONE]", data[4]);
        Assert.DoesNotContain(data, d => d.Contains("\"usage\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Each_frame_reaches_the_client_as_soon_as_the_provider_sends_it()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stub = new StubProvider { StreamChunks = ["first", " second"], HoldAfterFirstUpdate = release.Task };
        await using SampleHost host = await Settings.StartWithStubAsync(stub);
        using HttpClient client = host.Client();

        using HttpResponseMessage response = await PostStreamAsync(client, new { model = Settings.StubModel, stream = true, messages = new[] { new { role = "user", content = "Hi" } } });
        using EventStream events = await EventStream.OpenAsync(response);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        // The provider holds the rest of its answer until the client has read its first words.
        string role = (await events.NextAsync(timeout.Token))!;
        string first = (await events.NextAsync(timeout.Token))!;
        release.SetResult();
        List<string> rest = await events.ReadAllAsync();

        Assert.Equal("assistant", Assert.Single(EventStream.Json(role).GetProperty("choices").EnumerateArray()).GetProperty("delta").GetProperty("role").GetString());
        Assert.Equal("first", Assert.Single(EventStream.Json(first).GetProperty("choices").EnumerateArray()).GetProperty("delta").GetProperty("content").GetString());
        Assert.Equal(" second", Assert.Single(EventStream.Json(rest[0]).GetProperty("choices").EnumerateArray()).GetProperty("delta").GetProperty("content").GetString());
        Assert.Equal("[DONE]", rest[^1]);
    }

    [Fact]
    public async Task A_streamed_tool_call_is_a_tool_calls_delta_with_its_index_and_finish_reason_tool_calls()
    {
        var stub = new StubProvider
        {
            Answer = () => new ChatResponse(new ChatMessage(ChatRole.Assistant,
            [
                new FunctionCallContent("call_a", "lookup", new Dictionary<string, object?> { ["city"] = "Bern" }),
                new FunctionCallContent("call_b", "lookup", new Dictionary<string, object?> { ["city"] = "Basel" }),
            ])),
        };
        await using SampleHost host = await Settings.StartWithStubAsync(stub);
        using HttpClient client = host.Client();

        using HttpResponseMessage response = await PostStreamAsync(client, new { model = Settings.StubModel, stream = true, messages = new[] { new { role = "user", content = "Weather?" } } });
        using EventStream events = await EventStream.OpenAsync(response);
        List<string> data = await events.ReadAllAsync();

        JsonElement[] choices = [.. data.SkipLast(1).Select(d => Assert.Single(EventStream.Json(d).GetProperty("choices").EnumerateArray()))];
        JsonElement[] calls = [.. choices.Where(c => c.GetProperty("delta").TryGetProperty("tool_calls", out _)).SelectMany(c => c.GetProperty("delta").GetProperty("tool_calls").EnumerateArray())];
        Assert.Equal([(0, "call_a", "Bern"), (1, "call_b", "Basel")], calls.Select(c => (
            c.GetProperty("index").GetInt32(),
            c.GetProperty("id").GetString(),
            EventStream.Json(c.GetProperty("function").GetProperty("arguments").GetString()!).GetProperty("city").GetString())));
        Assert.All(calls, c => Assert.Equal(("function", "lookup"), (c.GetProperty("type").GetString(), c.GetProperty("function").GetProperty("name").GetString())));
        Assert.Equal("tool_calls", choices[^1].GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task A_failure_after_the_stream_started_is_an_error_event_and_the_stream_ends_without_DONE()
    {
        var stub = new StubProvider { StreamChunks = ["partial", " answer"], FailAfterFirstUpdate = new HttpRequestException("upstream reset", null, HttpStatusCode.BadGateway) };
        await using SampleHost host = await Settings.StartWithStubAsync(stub);
        using HttpClient client = host.Client();

        using HttpResponseMessage response = await PostStreamAsync(client, new { model = Settings.StubModel, stream = true, messages = new[] { new { role = "user", content = "Hi" } } });
        using EventStream events = await EventStream.OpenAsync(response);
        List<string> data = await events.ReadAllAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, data.Count);
        Assert.Equal("partial", Assert.Single(EventStream.Json(data[1]).GetProperty("choices").EnumerateArray()).GetProperty("delta").GetProperty("content").GetString());
        JsonElement error = EventStream.Json(data[2]).GetProperty("error");
        Assert.Equal(("server_error", "provider_error"), (error.GetProperty("type").GetString(), error.GetProperty("code").GetString()));
        Assert.Equal(JsonValueKind.Null, error.GetProperty("param").ValueKind);
        Assert.DoesNotContain("upstream reset", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_a_fallback_every_chunk_and_the_completion_name_the_alias_that_served()
    {
        var stub = new StubProvider { Failure = new HttpRequestException("overloaded", null, HttpStatusCode.ServiceUnavailable) };
        await using SampleHost host = await Settings.StartWithStubAsync(stub, new() { [$"LlmRouter:Models:{Settings.StubModel}:Fallbacks:0"] = "assistant-ch" });
        using HttpClient client = host.Client();

        using HttpResponseMessage streamed = await PostStreamAsync(client, new { model = Settings.StubModel, stream = true, messages = new[] { new { role = "user", content = "Hi" } } });
        using EventStream events = await EventStream.OpenAsync(streamed);
        List<string> data = await events.ReadAllAsync();
        using HttpResponseMessage completed = await ErrorMappingTests.AskAsync(client, Settings.StubModel);

        Assert.All(data.SkipLast(1), chunk => Assert.Equal("assistant-ch", EventStream.Json(chunk).GetProperty("model").GetString()));
        Assert.Equal("assistant-ch", EventStream.Json(await completed.Content.ReadAsStringAsync()).GetProperty("model").GetString());
        Assert.Equal(2, stub.Calls.Count);
    }

    [Fact]
    public async Task A_stream_refused_before_its_first_token_is_an_ordinary_error_answer_with_its_status()
    {
        await using SampleHost host = await SampleHost.StartAsync();
        using HttpClient client = host.Client();

        using HttpResponseMessage response = await PostStreamAsync(client, new { model = "summarizer", stream = true, messages = new[] { new { role = "user", content = "Hi" } } });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.Contains("x-request-id"));
        Assert.Equal("model_not_allowed", EventStream.Json(await response.Content.ReadAsStringAsync()).GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_stream_whose_fallback_chain_fails_before_its_first_token_is_a_JSON_502_not_an_event_stream()
    {
        var stub = new StubProvider { Failure = new HttpRequestException("stub-1 overloaded", null, HttpStatusCode.ServiceUnavailable) };
        await using SampleHost host = await Settings.StartWithStubAsync(stub, ErrorMappingTests.FallingBackToAFailingAlias());
        using HttpClient client = host.Client();

        using HttpResponseMessage response = await PostStreamAsync(client, new { model = Settings.StubModel, stream = true, stream_options = new { include_usage = true }, messages = new[] { new { role = "user", content = "Hi" } } });
        string raw = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("data:", raw, StringComparison.Ordinal);
        JsonElement error = EventStream.Json(raw).GetProperty("error");
        Assert.Equal(("server_error", "all_deployments_failed"), (error.GetProperty("type").GetString(), error.GetProperty("code").GetString()));
        JsonElement record = EventStream.Json(await client.GetStringAsync($"internal/audit/{ErrorMappingTests.Header(response, "x-request-id")}"));
        Assert.True(record.GetProperty("streaming").GetBoolean());
        Assert.Equal(2, record.GetProperty("attempts").GetArrayLength());
    }

    internal static Task<HttpResponseMessage> PostStreamAsync<T>(HttpClient client, T body) =>
        client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = ChatCompletionTests.Json(body) }, HttpCompletionOption.ResponseHeadersRead);
}
