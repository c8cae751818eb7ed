using System.Net;
using System.Text;
using System.Text.Json;

namespace LlmRouter.Tests.Support;

/// <summary>The loopback server's wire format, read with a plain <see cref="HttpClient"/>: what other tests rely on.</summary>
public sealed class OpenAIWireServerTests
{
    private const string StreamingRequest = """{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}],"stream":true,"stream_options":{"include_usage":true}}""";

    [Fact]
    public async Task A_reply_is_a_chat_completion_echoing_the_model_with_full_usage()
    {
        await using var server = await OpenAIWireServer.StartAsync();
        server.RespondWith(WireBehavior.Reply("Hi there.", new WireUsage(12, 7, CachedTokens: 4, ReasoningTokens: 2)));
        using var http = new HttpClient();

        using HttpResponseMessage response = await PostAsync(http, server.Endpoint, """{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}""");
        using JsonDocument body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        JsonElement root = body.RootElement;
        Assert.StartsWith("chatcmpl-", root.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("chat.completion", root.GetProperty("object").GetString());
        Assert.True(root.GetProperty("created").GetInt64() > 0);
        Assert.Equal("gpt-4o-mini", root.GetProperty("model").GetString());
        JsonElement choice = Assert.Single(root.GetProperty("choices").EnumerateArray());
        Assert.Equal(("assistant", "Hi there.", "stop"), (choice.GetProperty("message").GetProperty("role").GetString(), choice.GetProperty("message").GetProperty("content").GetString(), choice.GetProperty("finish_reason").GetString()));
        JsonElement usage = root.GetProperty("usage");
        Assert.Equal((12, 7, 19), (usage.GetProperty("prompt_tokens").GetInt32(), usage.GetProperty("completion_tokens").GetInt32(), usage.GetProperty("total_tokens").GetInt32()));
        Assert.Equal(4, usage.GetProperty("prompt_tokens_details").GetProperty("cached_tokens").GetInt32());
        Assert.Equal(2, usage.GetProperty("completion_tokens_details").GetProperty("reasoning_tokens").GetInt32());
    }

    [Fact]
    public async Task A_streamed_reply_sends_the_role_then_deltas_then_the_finish_reason_then_usage_then_done()
    {
        await using var server = await OpenAIWireServer.StartAsync();
        server.RespondWith(WireBehavior.Reply("Hi there."));
        using var http = new HttpClient();

        using HttpResponseMessage response = await PostAsync(http, server.Endpoint, StreamingRequest);
        string[] events = (await response.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        Assert.All(events, e => Assert.StartsWith("data: ", e, StringComparison.Ordinal));
        Assert.Equal("data: [DONE]", events[^1]);
        JsonElement[] chunks = [.. events[..^1].Select(e => JsonDocument.Parse(e["data: ".Length..]).RootElement)];
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c.GetProperty("object").GetString()));
        Assert.Single(chunks.Select(c => c.GetProperty("id").GetString()).Distinct());
        JsonElement[] choices = [.. chunks[..^1].Select(c => Assert.Single(c.GetProperty("choices").EnumerateArray()))];
        Assert.Equal("assistant", choices[0].GetProperty("delta").GetProperty("role").GetString());
        Assert.Equal("Hi there.", string.Concat(choices.Select(c => c.GetProperty("delta").TryGetProperty("content", out JsonElement t) ? t.GetString() : null)));
        Assert.All(choices[..^1], c => Assert.Equal(JsonValueKind.Null, c.GetProperty("finish_reason").ValueKind));
        Assert.Equal("stop", choices[^1].GetProperty("finish_reason").GetString());
        Assert.Empty(chunks[^1].GetProperty("choices").EnumerateArray());
        Assert.Equal(WireUsage.Default.TotalTokens, chunks[^1].GetProperty("usage").GetProperty("total_tokens").GetInt32());
    }

    [Fact]
    public async Task A_stream_without_include_usage_has_no_usage_chunk()
    {
        await using var server = await OpenAIWireServer.StartAsync();
        using var http = new HttpClient();

        using HttpResponseMessage response = await PostAsync(http, server.Endpoint, """{"model":"m","messages":[],"stream":true}""");
        string body = await response.Content.ReadAsStringAsync();

        Assert.DoesNotContain("\"usage\"", body, StringComparison.Ordinal);
        Assert.EndsWith("data: [DONE]\n\n", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_error_has_openais_status_body_and_headers()
    {
        await using var server = await OpenAIWireServer.StartAsync();
        server.RespondWith(WireBehavior.RateLimited(retryAfter: TimeSpan.FromMilliseconds(1500)));
        using var http = new HttpClient();

        using HttpResponseMessage response = await PostAsync(http, new Uri(server.BaseAddress, "openai/v1/"), StreamingRequest);
        using JsonDocument body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("2", response.Headers.GetValues("retry-after").Single());
        Assert.Equal("1500", response.Headers.GetValues("retry-after-ms").Single());
        JsonElement error = body.RootElement.GetProperty("error");
        Assert.Equal(["message", "type", "param", "code"], error.EnumerateObject().Select(p => p.Name));
        Assert.Equal("rate_limit_exceeded", error.GetProperty("code").GetString());
        Assert.Equal(JsonValueKind.Null, error.GetProperty("param").ValueKind);
    }

    [Fact]
    public async Task Requests_are_recorded_as_they_arrive_and_other_paths_get_a_404()
    {
        await using var server = await OpenAIWireServer.StartAsync();
        server.Enqueue(WireBehavior.ServerError());
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.BaseAddress, "v1/embeddings")) { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        request.Headers.Add("x-test", "1");

        using HttpResponseMessage notFound = await http.SendAsync(request);
        using HttpResponseMessage queued = await PostAsync(http, server.Endpoint, """{"model":"a"}""");
        using HttpResponseMessage otherwise = await PostAsync(http, server.Endpoint, """{"model":"b"}""");

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.InternalServerError, HttpStatusCode.OK), (notFound.StatusCode, queued.StatusCode, otherwise.StatusCode));
        Assert.Equal(["/v1/embeddings", "/v1/chat/completions", "/v1/chat/completions"], server.Requests.Select(r => r.Path));
        Assert.Equal("1", server.Requests[0].Header("X-Test"));
        Assert.Equal([null, "a", "b"], server.Requests.Select(r => r.Model));
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient http, Uri endpoint, string json) =>
        http.PostAsync(new Uri(endpoint, "chat/completions"), new StringContent(json, Encoding.UTF8, "application/json"));
}
