using System.Text.Json;

namespace LlmRouter.Tests.Support;

/// <summary>A request an <see cref="OpenAIWireServer"/> received, exactly as it came over the wire.</summary>
public sealed class WireRequest
{
    internal WireRequest(string method, string path, IReadOnlyDictionary<string, string> headers, string rawBody)
    {
        Method = method;
        Path = path;
        Headers = headers;
        RawBody = rawBody;
        try
        {
            using JsonDocument document = JsonDocument.Parse(rawBody);
            Body = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            // Not JSON: the test can still read RawBody.
        }
    }

    /// <summary>Gets the HTTP method.</summary>
    public string Method { get; }

    /// <summary>Gets the path, for example <c>/v1/chat/completions</c>.</summary>
    public string Path { get; }

    /// <summary>Gets the request headers by name (case-insensitive); repeated headers are joined with commas.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>Gets the body as sent.</summary>
    public string RawBody { get; }

    /// <summary>Gets the body parsed as JSON, or <see langword="null"/> when it is not JSON.</summary>
    public JsonElement? Body { get; }

    /// <summary>Gets the body's <c>model</c>.</summary>
    public string? Model => StringProperty("model");

    /// <summary>Gets whether the body asks for a stream (<c>"stream": true</c>).</summary>
    public bool IsStreaming => Body is { ValueKind: JsonValueKind.Object } body && body.TryGetProperty("stream", out JsonElement stream) && stream.ValueKind == JsonValueKind.True;

    /// <summary>Gets whether the body asks for usage in the stream (<c>"stream_options": {"include_usage": true}</c>).</summary>
    public bool IncludesUsage =>
        Body is { ValueKind: JsonValueKind.Object } body &&
        body.TryGetProperty("stream_options", out JsonElement options) && options.ValueKind == JsonValueKind.Object &&
        options.TryGetProperty("include_usage", out JsonElement include) && include.ValueKind == JsonValueKind.True;

    /// <summary>Gets a header's value, or <see langword="null"/> when it was not sent.</summary>
    /// <param name="name">The header's name.</param>
    /// <returns>The value.</returns>
    public string? Header(string name) => Headers.TryGetValue(name, out string? value) ? value : null;

    private string? StringProperty(string name) =>
        Body is { ValueKind: JsonValueKind.Object } body && body.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <inheritdoc/>
    public override string ToString() => $"{Method} {Path} model={Model ?? "-"} stream={IsStreaming}";
}
