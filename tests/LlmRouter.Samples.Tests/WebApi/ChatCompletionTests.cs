using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LlmRouter.Samples.Tests.Support;
using Microsoft.Extensions.AI;

namespace LlmRouter.Samples.Tests.WebApi;

/// <summary><c>POST /v1/chat/completions</c> without streaming: OpenAI's request in, OpenAI's completion out.</summary>
public class ChatCompletionTests
{
    [Fact]
    public async Task A_completion_is_OpenAIs_chat_completion_with_usage_from_the_route_and_the_request_id_as_x_request_id()
    {
        var stub = new StubProvider
        {
            Answer = () => new ChatResponse(new ChatMessage(ChatRole.Assistant, "Grüezi, l'addition s'il vous plaît."))
            {
                FinishReason = ChatFinishReason.Stop,
                Usage = new UsageDetails { InputTokenCount = 100, CachedInputTokenCount = 40, OutputTokenCount = 30, ReasoningTokenCount = 10, TotalTokenCount = 130 },
            },
        };
        await using SampleHost host = await Settings.StartWithStubAsync(stub);
        using HttpClient client = host.Client();
        long before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        using HttpResponseMessage response = await client.PostAsync("v1/chat/completions", Json(new { model = Settings.StubModel, messages = new[] { new { role = "user", content = "Hi" } } }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Guid requestId = Guid.Parse(Assert.Single(response.Headers.GetValues("x-request-id")));
        Assert.Equal(7, requestId.Version);
        string raw = await response.Content.ReadAsStringAsync();
        Assert.Contains("l'addition", raw, StringComparison.Ordinal);
        JsonElement body = EventStream.Json(raw);
        Assert.Equal("chatcmpl-" + requestId.ToString("N"), body.GetProperty("id").GetString());
        Assert.Equal("chat.completion", body.GetProperty("object").GetString());
        Assert.InRange(body.GetProperty("created").GetInt64(), before - 1, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        Assert.Equal(Settings.StubModel, body.GetProperty("model").GetString());
        JsonElement choice = Assert.Single(body.GetProperty("choices").EnumerateArray());
        Assert.Equal(0, choice.GetProperty("index").GetInt32());
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
        Assert.Equal(JsonValueKind.Null, choice.GetProperty("logprobs").ValueKind);
        JsonElement message = choice.GetProperty("message");
        Assert.Equal("assistant", message.GetProperty("role").GetString());
        Assert.Equal("Grüezi, l'addition s'il vous plaît.", message.GetProperty("content").GetString());
        Assert.Equal(JsonValueKind.Null, message.GetProperty("refusal").ValueKind);
        Assert.False(message.TryGetProperty("tool_calls", out _));

        // OpenAI counts cached tokens inside the prompt and reasoning tokens inside the completion; LlmRouter keeps them
        // apart, and the endpoint puts them back.
        JsonElement usage = body.GetProperty("usage");
        Assert.Equal(
            (100, 30, 130, 40, 10),
            (usage.GetProperty("prompt_tokens").GetInt32(), usage.GetProperty("completion_tokens").GetInt32(), usage.GetProperty("total_tokens").GetInt32(),
             usage.GetProperty("prompt_tokens_details").GetProperty("cached_tokens").GetInt32(), usage.GetProperty("completion_tokens_details").GetProperty("reasoning_tokens").GetInt32()));
    }

    [Fact]
    public async Task The_request_is_read_by_the_OpenAI_SDK_and_reaches_the_provider_as_Microsoft_Extensions_AI_messages_and_options()
    {
        var stub = new StubProvider();
        await using SampleHost host = await Settings.StartWithStubAsync(stub);
        using HttpClient client = host.Client();
        const string Body = """
            {
              "model": "stub-model",
              "messages": [
                { "role": "system", "content": "You are terse." },
                { "role": "user", "content": [ { "type": "text", "text": "What is on this receipt?" }, { "type": "image_url", "image_url": { "url": "https://example.com/receipt.png" } } ] },
                { "role": "assistant", "content": null, "tool_calls": [ { "id": "call_7", "type": "function", "function": { "name": "lookup", "arguments": "{\"city\":\"Bern\"}" } } ] },
                { "role": "tool", "tool_call_id": "call_7", "content": "sunny" }
              ],
              "temperature": 0.3, "top_p": 0.9, "max_tokens": 77, "stop": ["END", "STOP"], "seed": 42,
              "frequency_penalty": 0.1, "presence_penalty": 0.2, "parallel_tool_calls": false, "reasoning_effort": "high",
              "tools": [ { "type": "function", "function": { "name": "lookup", "description": "Weather by city", "strict": true,
                           "parameters": { "type": "object", "properties": { "city": { "type": "string" } }, "required": ["city"], "additionalProperties": false } } } ],
              "tool_choice": { "type": "function", "function": { "name": "lookup" } },
              "response_format": { "type": "json_schema", "json_schema": { "name": "answer", "description": "The answer", "strict": true, "schema": { "type": "object" } } },
              "user": "alice@acme"
            }
            """;

        using HttpResponseMessage response = await client.PostAsync("v1/chat/completions", new StringContent(Body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        StubCall call = Assert.Single(stub.Calls);
        Assert.Equal([ChatRole.System, ChatRole.User, ChatRole.Assistant, ChatRole.Tool], call.Messages.Select(m => m.Role));
        Assert.Equal("You are terse.", call.Messages[0].Text);
        Assert.Equal("What is on this receipt?", call.Messages[1].Text);
        Assert.Equal(new Uri("https://example.com/receipt.png"), Assert.Single(call.Messages[1].Contents.OfType<UriContent>()).Uri);
        FunctionCallContent called = Assert.Single(call.Messages[2].Contents.OfType<FunctionCallContent>());
        Assert.Equal(("call_7", "lookup", "Bern"), (called.CallId, called.Name, called.Arguments!["city"]?.ToString()));
        FunctionResultContent result = Assert.Single(call.Messages[3].Contents.OfType<FunctionResultContent>());
        Assert.Equal(("call_7", "sunny"), (result.CallId, result.Result?.ToString()));

        ChatOptions options = call.Options!;
        Assert.Equal((0.3f, 0.9f, 77, 42L, 0.1f, 0.2f, false), (options.Temperature, options.TopP, options.MaxOutputTokens, options.Seed, options.FrequencyPenalty, options.PresencePenalty, options.AllowMultipleToolCalls));
        Assert.Equal(["END", "STOP"], options.StopSequences!);
        Assert.Equal(ReasoningEffort.High, options.Reasoning?.Effort);
        AIFunctionDeclaration tool = Assert.IsAssignableFrom<AIFunctionDeclaration>(Assert.Single(options.Tools!));
        Assert.Equal(("lookup", "Weather by city", true), (tool.Name, tool.Description, tool.AdditionalProperties["strict"]));
        Assert.Equal("string", tool.JsonSchema.GetProperty("properties").GetProperty("city").GetProperty("type").GetString());
        Assert.Equal("lookup", Assert.IsType<RequiredChatToolMode>(options.ToolMode).RequiredFunctionName);
        ChatResponseFormatJson format = Assert.IsType<ChatResponseFormatJson>(options.ResponseFormat);
        Assert.Equal(("answer", "The answer", "object"), (format.SchemaName, format.SchemaDescription, format.Schema?.GetProperty("type").GetString()));
        Assert.Equal(true, options.AdditionalProperties?["strict"]);

        // The caller: the key its token maps to, the end user it named, the endpoint's tag and the client's name.
        Assert.Equal(("client-chat", "alice@acme"), (call.Caller?.Key, call.Caller?.User));
        Assert.Equal(["openai-endpoint", "client:acme-chat"], call.Caller!.Tags);
    }

    [Fact]
    public async Task A_max_completion_tokens_wins_over_the_deprecated_max_tokens_and_a_plain_json_object_format_is_kept()
    {
        var stub = new StubProvider();
        await using SampleHost host = await Settings.StartWithStubAsync(stub);
        using HttpClient client = host.Client();

        using HttpResponseMessage response = await client.PostAsync("v1/chat/completions", Json(new
        {
            model = Settings.StubModel,
            messages = new[] { new { role = "developer", content = "Answer in JSON." }, new { role = "user", content = "Hi" } },
            max_tokens = 10,
            max_completion_tokens = 20,
            response_format = new { type = "json_object" },
            tool_choice = "none",
        }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        ChatOptions options = Assert.Single(stub.Calls).Options!;
        Assert.Equal(20, options.MaxOutputTokens);
        Assert.Same(ChatResponseFormat.Json, options.ResponseFormat);
        Assert.IsType<NoneChatToolMode>(options.ToolMode);
        Assert.Null(options.AdditionalProperties?.GetValueOrDefault("strict"));
    }

    [Fact]
    public async Task Tool_calls_are_answered_as_OpenAIs_tool_calls_with_null_content()
    {
        var stub = new StubProvider
        {
            Answer = () => new ChatResponse(new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("call_1", "lookup", new Dictionary<string, object?> { ["city"] = "Bern" })]))
            {
                FinishReason = ChatFinishReason.ToolCalls,
                Usage = new UsageDetails { InputTokenCount = 20, OutputTokenCount = 8 },
            },
        };
        await using SampleHost host = await Settings.StartWithStubAsync(stub);
        using HttpClient client = host.Client();

        using HttpResponseMessage response = await client.PostAsync("v1/chat/completions", Json(new { model = Settings.StubModel, messages = new[] { new { role = "user", content = "Weather in Bern?" } } }));

        JsonElement choice = Assert.Single(EventStream.Json(await response.Content.ReadAsStringAsync()).GetProperty("choices").EnumerateArray());
        Assert.Equal("tool_calls", choice.GetProperty("finish_reason").GetString());
        JsonElement message = choice.GetProperty("message");
        Assert.Equal(JsonValueKind.Null, message.GetProperty("content").ValueKind);
        JsonElement toolCall = Assert.Single(message.GetProperty("tool_calls").EnumerateArray());
        Assert.False(toolCall.TryGetProperty("index", out _));
        Assert.Equal(("call_1", "function", "lookup"), (toolCall.GetProperty("id").GetString(), toolCall.GetProperty("type").GetString(), toolCall.GetProperty("function").GetProperty("name").GetString()));
        Assert.Equal("Bern", EventStream.Json(toolCall.GetProperty("function").GetProperty("arguments").GetString()!).GetProperty("city").GetString());
    }

    [Theory]
    [InlineData("""{"model": "stub-model", "messages": [""", null, "not valid JSON")]
    [InlineData("""{"model": "stub-model"} {}""", null, "not valid JSON")]
    [InlineData("""[1, 2]""", null, "must be a JSON object")]
    [InlineData("""{"messages": [{"role": "user", "content": "Hi"}]}""", "model", "provide a model")]
    [InlineData("""{"model": "stub-model", "messages": []}""", "messages", "non-empty array")]
    [InlineData("""{"model": "stub-model"}""", "messages", "non-empty array")]
    [InlineData("""{"model": "stub-model", "messages": [{"role": "user", "content": "Hi"}, {"role": "wizard", "content": "Hi"}]}""", "messages[1]", "wizard")]
    [InlineData("""{"model": "stub-model", "messages": [{"content": "Hi"}]}""", "messages[0].role", "'role'")]
    [InlineData("""{"model": "stub-model", "stream": "yes", "messages": [{"role": "user", "content": "Hi"}]}""", "stream", "wrong type")]
    [InlineData("""{"model": "stub-model", "n": 2, "messages": [{"role": "user", "content": "Hi"}]}""", "n", "'n' must be 1")]
    [InlineData("""{"model": "stub-model", "temperature": "hot", "messages": [{"role": "user", "content": "Hi"}]}""", null, "wrong type")]
    [InlineData("""{"model": "stub-model", "tool_choice": "sometimes", "messages": [{"role": "user", "content": "Hi"}]}""", "tool_choice", "'tool_choice'")]
    [InlineData("""{"model": "stub-model", "tool_choice": {"type": "function"}, "messages": [{"role": "user", "content": "Hi"}]}""", "tool_choice", "must name a function")]
    [InlineData("""{"model": "stub-model", "response_format": {"type": "xml"}, "messages": [{"role": "user", "content": "Hi"}]}""", "response_format.type", "'text', 'json_object'")]
    [InlineData("""{"model": "stub-model", "response_format": {"type": "json_schema"}, "messages": [{"role": "user", "content": "Hi"}]}""", "response_format.json_schema", "'name' and a 'schema'")]
    [InlineData("""{"model": "stub-model", "reasoning_effort": "extreme", "messages": [{"role": "user", "content": "Hi"}]}""", "reasoning_effort", "'reasoning_effort'")]
    public async Task A_request_the_endpoint_cannot_serve_is_a_400_invalid_request_error_naming_the_field_and_reaches_no_provider(string body, string? param, string message)
    {
        var stub = new StubProvider();
        await using SampleHost host = await Settings.StartWithStubAsync(stub);
        using HttpClient client = host.Client();

        using HttpResponseMessage response = await client.PostAsync("v1/chat/completions", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(response.Headers.Contains("x-request-id"));
        JsonElement error = EventStream.Json(await response.Content.ReadAsStringAsync()).GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.Contains(message, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty(stub.Calls);
    }

    internal static StringContent Json<T>(T body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
}
