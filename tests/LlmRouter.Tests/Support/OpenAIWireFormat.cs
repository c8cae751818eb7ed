using System.Buffers;
using System.Text.Json;

namespace LlmRouter.Tests.Support;

/// <summary>Writes the JSON bodies of OpenAI's chat-completions API, field for field as OpenAI sends them.</summary>
internal static class OpenAIWireFormat
{
    private const string Fingerprint = "fp_wire0000";

    public static byte[] Completion(string id, long created, string model, string text, string finishReason, WireUsage? usage, WireToolCall? toolCall = null) =>
        Write(writer =>
        {
            Header(writer, id, "chat.completion", created, model);
            writer.WriteStartArray("choices");
            writer.WriteStartObject();
            writer.WriteNumber("index", 0);
            writer.WriteStartObject("message");
            writer.WriteString("role", "assistant");
            if (toolCall is null)
            {
                writer.WriteString("content", text);
            }
            else
            {
                writer.WriteNull("content");
                writer.WriteStartArray("tool_calls");
                writer.WriteStartObject();
                writer.WriteString("id", toolCall.Id);
                writer.WriteString("type", "function");
                writer.WriteStartObject("function");
                writer.WriteString("name", toolCall.Name);
                writer.WriteString("arguments", toolCall.Arguments);
                writer.WriteEndObject();
                writer.WriteEndObject();
                writer.WriteEndArray();
            }

            writer.WriteNull("refusal");
            writer.WriteStartArray("annotations");
            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteNull("logprobs");
            writer.WriteString("finish_reason", finishReason);
            writer.WriteEndObject();
            writer.WriteEndArray();
            if (usage is not null)
            {
                Usage(writer, usage);
            }

            writer.WriteString("service_tier", "default");
        });

    /// <summary>One <c>chat.completion.chunk</c> with a choice: the role in the first, content deltas, the finish reason in the last.</summary>
    public static byte[] Chunk(string id, long created, string model, string? role, string? content, string? finishReason, bool usageRequested) =>
        Write(writer =>
        {
            Header(writer, id, "chat.completion.chunk", created, model);
            writer.WriteStartArray("choices");
            writer.WriteStartObject();
            writer.WriteNumber("index", 0);
            writer.WriteStartObject("delta");
            if (role is not null)
            {
                writer.WriteString("role", role);
            }

            if (content is not null)
            {
                writer.WriteString("content", content);
            }

            if (role is not null)
            {
                writer.WriteNull("refusal");
            }

            writer.WriteEndObject();
            writer.WriteNull("logprobs");
            if (finishReason is null)
            {
                writer.WriteNull("finish_reason");
            }
            else
            {
                writer.WriteString("finish_reason", finishReason);
            }

            writer.WriteEndObject();
            writer.WriteEndArray();

            // With include_usage, OpenAI sends "usage": null on every chunk but the last.
            if (usageRequested)
            {
                writer.WriteNull("usage");
            }
        });

    /// <summary>The usage-only chunk OpenAI sends last when the request set <c>stream_options.include_usage</c>.</summary>
    public static byte[] UsageChunk(string id, long created, string model, WireUsage usage) =>
        Write(writer =>
        {
            Header(writer, id, "chat.completion.chunk", created, model);
            writer.WriteStartArray("choices");
            writer.WriteEndArray();
            Usage(writer, usage);
        });

    public static byte[] Error(string? message, string? type, string? param, string? code) =>
        Write(writer =>
        {
            writer.WriteStartObject("error");
            WriteStringOrNull(writer, "message", message);
            WriteStringOrNull(writer, "type", type);
            WriteStringOrNull(writer, "param", param);
            WriteStringOrNull(writer, "code", code);
            writer.WriteEndObject();
        });

    private static void Header(Utf8JsonWriter writer, string id, string kind, long created, string model)
    {
        writer.WriteString("id", id);
        writer.WriteString("object", kind);
        writer.WriteNumber("created", created);
        writer.WriteString("model", model);
        writer.WriteString("system_fingerprint", Fingerprint);
    }

    private static void Usage(Utf8JsonWriter writer, WireUsage usage)
    {
        writer.WriteStartObject("usage");
        writer.WriteNumber("prompt_tokens", usage.PromptTokens);
        writer.WriteNumber("completion_tokens", usage.CompletionTokens);
        writer.WriteNumber("total_tokens", usage.TotalTokens);
        writer.WriteStartObject("prompt_tokens_details");
        writer.WriteNumber("cached_tokens", usage.CachedTokens);
        writer.WriteNumber("audio_tokens", 0);
        writer.WriteEndObject();
        writer.WriteStartObject("completion_tokens_details");
        writer.WriteNumber("reasoning_tokens", usage.ReasoningTokens);
        writer.WriteNumber("audio_tokens", 0);
        writer.WriteNumber("accepted_prediction_tokens", 0);
        writer.WriteNumber("rejected_prediction_tokens", 0);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteStringOrNull(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
