using System.ClientModel.Primitives;
using System.Text.Json;
using Microsoft.Extensions.AI;
using OpenAI.Chat;
using AIChatMessage = Microsoft.Extensions.AI.ChatMessage;
using SdkChatMessage = OpenAI.Chat.ChatMessage;

namespace WebApiSample.OpenAIEndpoint;

/// <summary>
/// A chat-completions request as LlmRouter takes it: messages and options in Microsoft.Extensions.AI's types, read from
/// the body by the OpenAI SDK's own models.
/// </summary>
internal sealed class ChatCompletionRequest
{
    private ChatCompletionRequest(string model, IList<AIChatMessage> messages, ChatOptions options, bool stream, bool includeUsage, string? user)
    {
        Model = model;
        Messages = messages;
        Options = options;
        Stream = stream;
        IncludeUsage = includeUsage;
        User = user;
    }

    /// <summary>Gets the requested alias, exactly as sent.</summary>
    public string Model { get; }

    public IList<AIChatMessage> Messages { get; }

    /// <summary>Gets the options, with <see cref="ChatOptions.ModelId"/> set to <see cref="Model"/>.</summary>
    public ChatOptions Options { get; }

    public bool Stream { get; }

    /// <summary>Gets whether a streamed answer ends with a usage chunk (<c>stream_options.include_usage</c>).</summary>
    public bool IncludeUsage { get; }

    /// <summary>Gets the end user the caller named (<c>user</c>), recorded on the route and in the audit log.</summary>
    public string? User { get; }

    /// <summary>Reads a request body.</summary>
    /// <param name="body">The JSON body.</param>
    /// <returns>The request.</returns>
    /// <exception cref="InvalidRequestException">The body is not a request this endpoint can serve.</exception>
    public static ChatCompletionRequest Read(BinaryData body)
    {
        if (!IsJson(body))
        {
            throw new InvalidRequestException("We could not parse the JSON body of your request: it is not valid JSON.", null);
        }

        ChatCompletionEnvelope envelope;
        try
        {
            envelope = JsonSerializer.Deserialize(body, OpenAIJsonContext.Wire.ChatCompletionEnvelope)
                ?? throw new InvalidRequestException("The request body must be a JSON object.", null);
        }
        catch (JsonException ex)
        {
            string? param = Param(ex.Path);
            throw new InvalidRequestException(param is null ? "The request body must be a JSON object." : $"'{param}' has the wrong type.", param);
        }

        if (string.IsNullOrEmpty(envelope.Model))
        {
            throw new InvalidRequestException("You must provide a model parameter.", "model");
        }

        if (envelope.N is int n && n != 1)
        {
            throw new InvalidRequestException("Only one choice per request is supported: 'n' must be 1.", "n");
        }

        // The messages one by one, so that a bad one is named; the fields the SDK keeps opaque; then the SDK reads the rest.
        List<AIChatMessage> messages = ReadMessages(envelope.Messages);
        var options = new ChatOptions { ModelId = envelope.Model, ToolMode = ToolMode(envelope.ToolChoice) };
        ReadResponseFormat(envelope.ResponseFormat, options);
        ChatCompletionOptions sdk;
        try
        {
            sdk = ModelReaderWriter.Read<ChatCompletionOptions>(body, ModelReaderWriterOptions.Json)!;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The SDK reads each field with the type and shape its specification gives (a number, a string, an array...).
            throw new InvalidRequestException("A field of the request has the wrong type or shape: " + ex.Message, null);
        }

        options.Temperature = sdk.Temperature;
        options.TopP = sdk.TopP;
        options.FrequencyPenalty = sdk.FrequencyPenalty;
        options.PresencePenalty = sdk.PresencePenalty;
        options.Seed = sdk.Seed;
        options.MaxOutputTokens = sdk.MaxOutputTokenCount ?? envelope.MaxTokens;
        options.AllowMultipleToolCalls = sdk.AllowParallelToolCalls;
        if (sdk.StopSequences.Count > 0)
        {
            options.StopSequences = [.. sdk.StopSequences];
        }

        if (sdk.ReasoningEffortLevel is ChatReasoningEffortLevel effort)
        {
            options.Reasoning = new ReasoningOptions { Effort = Effort(effort) };
        }

        ReadTools(sdk, options);
        return new ChatCompletionRequest(
            envelope.Model,
            messages,
            options,
            envelope.Stream == true,
            envelope.Stream == true && envelope.StreamOptions?.IncludeUsage == true,
            sdk.EndUserId);
    }

    /// <summary>Gets whether the body is one well-formed JSON value: what is wrong with a malformed one has no field to name.</summary>
    private static bool IsJson(BinaryData body)
    {
        var reader = new Utf8JsonReader(body.ToMemory().Span);
        try
        {
            return reader.Read() && reader.TrySkip() && !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static List<AIChatMessage> ReadMessages(JsonElement? json)
    {
        if (json is not { ValueKind: JsonValueKind.Array } array || array.GetArrayLength() == 0)
        {
            throw new InvalidRequestException("'messages' must be a non-empty array of messages.", "messages");
        }

        var parsed = new List<SdkChatMessage>(array.GetArrayLength());
        foreach (JsonElement element in array.EnumerateArray())
        {
            string param = $"messages[{parsed.Count}]";
            SdkChatMessage? message;
            try
            {
                message = ModelReaderWriter.Read<SdkChatMessage>(BinaryData.FromString(element.GetRawText()), ModelReaderWriterOptions.Json);
            }
            catch (Exception ex) when (ex is InvalidOperationException or FormatException or ArgumentException or JsonException)
            {
                throw new InvalidRequestException($"Message {parsed.Count} is not valid: {ex.Message}", param);
            }

            if (message is not (SystemChatMessage or DeveloperChatMessage or UserChatMessage or AssistantChatMessage or ToolChatMessage))
            {
                throw new InvalidRequestException("Each message needs a 'role' of 'system', 'developer', 'user', 'assistant' or 'tool'.", param + ".role");
            }

            parsed.Add(message);
        }

        return [.. parsed.AsChatMessages()];
    }

    private static void ReadTools(ChatCompletionOptions sdk, ChatOptions options)
    {
        if (sdk.Tools.Count == 0)
        {
            return;
        }

        options.Tools = new List<AITool>(sdk.Tools.Count);
        for (int i = 0; i < sdk.Tools.Count; i++)
        {
            ChatTool tool = sdk.Tools[i];
            if (tool.Kind != ChatToolKind.Function || string.IsNullOrEmpty(tool.FunctionName))
            {
                throw new InvalidRequestException("Only function tools with a name are supported.", $"tools[{i}]");
            }

            JsonElement parameters = tool.FunctionParameters is { } schema
                ? JsonElement.Parse(schema.ToMemory().Span)
                : EmptyParameters;
            options.Tools.Add(new RequestedFunction(tool.FunctionName, tool.FunctionDescription, parameters, tool.FunctionSchemaIsStrict ?? false));
        }
    }

    private static readonly JsonElement EmptyParameters = JsonElement.Parse("""{"type":"object","properties":{}}"""u8);

    private static ChatToolMode? ToolMode(JsonElement? choice)
    {
        switch (choice)
        {
            case null or { ValueKind: JsonValueKind.Null }:
                return null;
            case { ValueKind: JsonValueKind.String } name:
                return name.GetString() switch
                {
                    "none" => ChatToolMode.None,
                    "auto" => ChatToolMode.Auto,
                    "required" => ChatToolMode.RequireAny,
                    _ => throw new InvalidRequestException("'tool_choice' must be 'none', 'auto', 'required' or a function.", "tool_choice"),
                };
            case { ValueKind: JsonValueKind.Object } function:
                ToolChoiceEnvelope? named = function.Deserialize(OpenAIJsonContext.Wire.ToolChoiceEnvelope);
                return named is { Type: "function", Function.Name: { Length: > 0 } functionName }
                    ? ChatToolMode.RequireSpecific(functionName)
                    : throw new InvalidRequestException("'tool_choice' must name a function: {\"type\": \"function\", \"function\": {\"name\": ...}}.", "tool_choice");
            default:
                throw new InvalidRequestException("'tool_choice' must be a string or an object.", "tool_choice");
        }
    }

    private static void ReadResponseFormat(ResponseFormatEnvelope? format, ChatOptions options)
    {
        switch (format?.Type)
        {
            case null when format is null:
                return;
            case "text":
                options.ResponseFormat = Microsoft.Extensions.AI.ChatResponseFormat.Text;
                return;
            case "json_object":
                options.ResponseFormat = Microsoft.Extensions.AI.ChatResponseFormat.Json;
                return;
            case "json_schema" when format.JsonSchema is { Name: { Length: > 0 } name, Schema: { ValueKind: JsonValueKind.Object } schema } jsonSchema:
                options.ResponseFormat = Microsoft.Extensions.AI.ChatResponseFormat.ForJsonSchema(schema, name, jsonSchema.Description);
                if (jsonSchema.Strict == true)
                {
                    // Microsoft.Extensions.AI's OpenAI client reads the schema's strictness from the options; each tool says its own.
                    (options.AdditionalProperties ??= [])["strict"] = true;
                }

                return;
            case "json_schema":
                throw new InvalidRequestException("'response_format.json_schema' needs a 'name' and a 'schema' object.", "response_format.json_schema");
            default:
                throw new InvalidRequestException("'response_format.type' must be 'text', 'json_object' or 'json_schema'.", "response_format.type");
        }
    }

    /// <summary>Maps OpenAI's effort levels to Microsoft.Extensions.AI's, which has no <c>minimal</c>: it becomes <c>low</c>.</summary>
    private static ReasoningEffort Effort(ChatReasoningEffortLevel level) => level.ToString() switch
    {
        "none" => ReasoningEffort.None,
        "minimal" or "low" => ReasoningEffort.Low,
        "medium" => ReasoningEffort.Medium,
        "high" => ReasoningEffort.High,
        "xhigh" => ReasoningEffort.ExtraHigh,
        _ => throw new InvalidRequestException("'reasoning_effort' must be 'none', 'minimal', 'low', 'medium', 'high' or 'xhigh'.", "reasoning_effort"),
    };

    /// <summary>Turns a JSON path such as <c>$.stream_options.include_usage</c> into OpenAI's <c>param</c>: <c>stream_options.include_usage</c>.</summary>
    private static string? Param(string? path) => path is null || path == "$" ? null : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;

}
