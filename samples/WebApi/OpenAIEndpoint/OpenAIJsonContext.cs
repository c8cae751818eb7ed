using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace WebApiSample.OpenAIEndpoint;

/// <summary>The source-generated JSON metadata of everything the endpoint reads and writes itself.</summary>
/// <remarks>
/// Use <see cref="Wire"/>: snake_case names, and text escaped only where JSON requires it (as OpenAI writes it — an
/// apostrophe stays an apostrophe), since these bodies are never embedded in HTML.
/// </remarks>
[JsonSerializable(typeof(ChatCompletionEnvelope))]
[JsonSerializable(typeof(ToolChoiceEnvelope))]
[JsonSerializable(typeof(ChatCompletionBody))]
[JsonSerializable(typeof(ChatCompletionChunkBody))]
[JsonSerializable(typeof(ModelListBody))]
[JsonSerializable(typeof(ModelBody))]
[JsonSerializable(typeof(ErrorBody))]
internal sealed partial class OpenAIJsonContext : JsonSerializerContext
{
    /// <summary>Gets the context with the wire format's options.</summary>
    public static OpenAIJsonContext Wire { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.Strict,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
