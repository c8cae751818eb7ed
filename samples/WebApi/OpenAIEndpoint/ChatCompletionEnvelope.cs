using System.Text.Json;

namespace WebApiSample.OpenAIEndpoint;

/// <summary>
/// The fields of a chat-completions request that the OpenAI SDK parses but does not expose — <c>model</c>,
/// <c>messages</c>, <c>stream</c>, <c>stream_options</c>, <c>n</c>, <c>max_tokens</c> — and the two it exposes only
/// opaquely (<c>tool_choice</c>, <c>response_format</c>). Everything else is read through the SDK's own
/// <see cref="OpenAI.Chat.ChatCompletionOptions"/>, and the messages through its <see cref="OpenAI.Chat.ChatMessage"/>.
/// </summary>
internal sealed class ChatCompletionEnvelope
{
    public string? Model { get; set; }

    /// <summary>Gets or sets the messages, left as JSON for the SDK's <see cref="OpenAI.Chat.ChatMessage"/> to read.</summary>
    public JsonElement? Messages { get; set; }

    public bool? Stream { get; set; }

    public StreamOptionsEnvelope? StreamOptions { get; set; }

    public int? N { get; set; }

    /// <summary>Gets or sets the deprecated <c>max_tokens</c>, still sent by many clients.</summary>
    public int? MaxTokens { get; set; }

    /// <summary>Gets or sets <c>tool_choice</c>: <c>none</c>, <c>auto</c>, <c>required</c>, or an object naming a function.</summary>
    public JsonElement? ToolChoice { get; set; }

    public ResponseFormatEnvelope? ResponseFormat { get; set; }
}

/// <summary><c>stream_options</c>.</summary>
internal sealed class StreamOptionsEnvelope
{
    public bool? IncludeUsage { get; set; }
}

/// <summary><c>response_format</c>: <c>text</c>, <c>json_object</c>, or <c>json_schema</c> with its schema.</summary>
internal sealed class ResponseFormatEnvelope
{
    public string? Type { get; set; }

    public JsonSchemaEnvelope? JsonSchema { get; set; }
}

/// <summary><c>response_format.json_schema</c>.</summary>
internal sealed class JsonSchemaEnvelope
{
    public string? Name { get; set; }

    public string? Description { get; set; }

    public JsonElement? Schema { get; set; }

    public bool? Strict { get; set; }
}

/// <summary><c>tool_choice</c> as an object: <c>{"type": "function", "function": {"name": "..."}}</c>.</summary>
internal sealed class ToolChoiceEnvelope
{
    public string? Type { get; set; }

    public ToolChoiceFunctionEnvelope? Function { get; set; }
}

/// <summary><c>tool_choice.function</c>.</summary>
internal sealed class ToolChoiceFunctionEnvelope
{
    public string? Name { get; set; }
}
