using System.Text.Json;
using System.Text.Json.Serialization;

namespace WebApiSample.OpenAIEndpoint;

/// <summary>
/// A streamed chunk's <c>usage</c>, as OpenAI sends it: absent unless the request set
/// <c>stream_options.include_usage</c>; then <c>"usage": null</c> on every chunk but the last, which carries it.
/// </summary>
/// <remarks>The default value is "absent", which the chunk leaves out (<see cref="JsonIgnoreCondition.WhenWritingDefault"/>).</remarks>
[JsonConverter(typeof(ChunkUsageConverter))]
internal readonly record struct ChunkUsage(bool Requested, UsageBody? Body)
{
    /// <summary>Gets the value of a chunk that is not the usage chunk of a stream whose request asked for usage: <c>null</c>.</summary>
    public static ChunkUsage NotYet => new(Requested: true, Body: null);

    /// <summary>The value of the usage chunk.</summary>
    public static ChunkUsage Of(UsageBody usage) => new(Requested: true, usage);

    /// <summary>The value of a chunk of a stream whose request did or did not ask for usage.</summary>
    public static ChunkUsage For(bool requested) => requested ? NotYet : default;
}

/// <summary>Writes a <see cref="ChunkUsage"/> as <c>null</c> or the usage object; chunks are never read.</summary>
internal sealed class ChunkUsageConverter : JsonConverter<ChunkUsage>
{
    public override ChunkUsage Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("The endpoint writes chunks; it never reads them.");

    public override void Write(Utf8JsonWriter writer, ChunkUsage value, JsonSerializerOptions options)
    {
        if (value.Body is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            JsonSerializer.Serialize(writer, value.Body, OpenAIJsonContext.Wire.UsageBody);
        }
    }
}
