using System.Text.Json.Serialization;

namespace WebApiSample.OpenAIEndpoint;

// What the endpoint writes, field for field as OpenAI's chat-completions and models APIs send it. Written with the
// source-generated OpenAIJsonContext (snake_case names); optional fields are left out when null, as OpenAI does.

/// <summary>A whole answer: <c>object: "chat.completion"</c>.</summary>
internal sealed record ChatCompletionBody([property: JsonPropertyOrder(-2)] string Id, long Created, string Model, IReadOnlyList<CompletionChoice> Choices, UsageBody Usage)
{
    [JsonPropertyOrder(-1)]
    public string Object => "chat.completion";
}

/// <summary>The one choice of a whole answer.</summary>
internal sealed record CompletionChoice(int Index, AssistantMessage Message, string FinishReason)
{
    public object? Logprobs => null;
}

/// <summary>The assistant's message: its text (<see langword="null"/> when it only calls tools) and its tool calls.</summary>
internal sealed record AssistantMessage(
    string? Content,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<ToolCallBody>? ToolCalls)
{
    [JsonPropertyOrder(-1)]
    public string Role => "assistant";

    public string? Refusal => null;
}

/// <summary>A tool call: <c>{"id", "type": "function", "function": {"name", "arguments"}}</c>; in a stream it also has its <c>index</c>.</summary>
internal sealed record ToolCallBody(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), JsonPropertyOrder(-2)] int? Index,
    [property: JsonPropertyOrder(-2)] string Id,
    FunctionCallBody Function)
{
    [JsonPropertyOrder(-1)]
    public string Type => "function";
}

/// <summary>The function a tool call names, with its arguments as a JSON string.</summary>
internal sealed record FunctionCallBody(string Name, string Arguments);

/// <summary>One streamed chunk: <c>object: "chat.completion.chunk"</c>; the usage chunk has no choices.</summary>
internal sealed record ChatCompletionChunkBody(
    [property: JsonPropertyOrder(-2)] string Id,
    long Created,
    string Model,
    IReadOnlyList<ChunkChoice> Choices,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] ChunkUsage Usage = default)
{
    [JsonPropertyOrder(-1)]
    public string Object => "chat.completion.chunk";
}

/// <summary>The choice of a chunk: a delta, and the finish reason — <see langword="null"/> until the last choice chunk.</summary>
internal sealed record ChunkChoice(int Index, DeltaBody Delta, string? FinishReason)
{
    public object? Logprobs => null;
}

/// <summary>What a chunk adds: the role in the first, then text or tool calls.</summary>
internal sealed record DeltaBody(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Role = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Content = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<ToolCallBody>? ToolCalls = null);

/// <summary>Token usage as OpenAI counts it: cached tokens inside the prompt, reasoning tokens inside the completion.</summary>
internal sealed record UsageBody(long PromptTokens, long CompletionTokens, long TotalTokens, PromptTokensDetails PromptTokensDetails, CompletionTokensDetails CompletionTokensDetails);

/// <summary><c>usage.prompt_tokens_details</c>.</summary>
internal sealed record PromptTokensDetails(long CachedTokens);

/// <summary><c>usage.completion_tokens_details</c>.</summary>
internal sealed record CompletionTokensDetails(long ReasoningTokens);

/// <summary><c>GET /v1/models</c>: <c>{"object": "list", "data": [...]}</c>.</summary>
internal sealed record ModelListBody(IReadOnlyList<ModelBody> Data)
{
    [JsonPropertyOrder(-1)]
    public string Object => "list";
}

/// <summary>One model: an alias the caller's key may use.</summary>
internal sealed record ModelBody([property: JsonPropertyOrder(-2)] string Id, long Created, string OwnedBy)
{
    [JsonPropertyOrder(-1)]
    public string Object => "model";
}

/// <summary>OpenAI's error body: <c>{"error": {"message", "type", "param", "code"}}</c>.</summary>
internal sealed record ErrorBody(ErrorDetail Error);

/// <summary>The error itself; <c>param</c> and <c>code</c> may be <see langword="null"/>, and are then written as null.</summary>
internal sealed record ErrorDetail(string Message, string Type, string? Param, string? Code);
