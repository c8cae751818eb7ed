using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace LlmRouter;

/// <summary>
/// Personal data inside JSON values — tool results (<c>AIFunctionFactory</c> returns a <see cref="JsonElement"/>) and tool
/// arguments (parsed from the provider's JSON): finds it in every string, property names included, at any depth, and
/// rebuilds the value with some strings replaced.
/// </summary>
/// <remarks>
/// Scanning reads the element's own UTF-8 text with a <see cref="Utf8JsonReader"/> and unescapes each string into a pooled
/// buffer: a value without personal data is neither copied nor turned into strings. A string is identified by its
/// ordinal among the value's strings and property names, in document order.
/// </remarks>
internal static class PiiJson
{
    /// <summary>Strings up to this many UTF-8 bytes are unescaped on the stack.</summary>
    private const int StackChars = 256;

    /// <summary>A string that contains personal data: its ordinal, its unescaped text and what was found.</summary>
    public readonly record struct Finding(int Ordinal, string Text, List<PiiMatch> Matches);

    /// <summary>Gets the JSON a value is sent as, for the values that are not text: the element itself, or the value serialized as provider clients serialize it.</summary>
    /// <returns><see langword="false"/> for <see langword="null"/> and for scalars that cannot hold text (numbers, booleans).</returns>
    public static bool TryGetJson(object? value, out JsonElement json)
    {
        switch (value)
        {
            case JsonElement element:
                json = element;
                return element.ValueKind is JsonValueKind.Object or JsonValueKind.Array or JsonValueKind.String;
            case JsonDocument document:
                return TryGetJson(document.RootElement, out json);
            case null or bool or byte or sbyte or short or ushort or int or uint or long or ulong or float or double or decimal or Enum:
                json = default;
                return false;
            default:
                // Anything else is serialized by the provider's client with these options: scan what it would send.
                json = JsonSerializer.SerializeToElement(value, AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(object)));
                return json.ValueKind is JsonValueKind.Object or JsonValueKind.Array or JsonValueKind.String;
        }
    }

    /// <summary>Finds personal data in the strings of a JSON value.</summary>
    /// <returns>The strings that contain some, or <see langword="null"/> when none does.</returns>
    public static List<Finding>? Scan(JsonElement json)
    {
        List<Finding>? findings = null;
        ForEachString(json, ref findings, static (ref List<Finding>? found, int ordinal, ReadOnlySpan<char> text) =>
        {
            if (PiiScanner.Scan(text) is { } matches)
            {
                (found ??= []).Add(new Finding(ordinal, text.ToString(), matches));
            }
        });

        return findings;
    }

    /// <summary>Restores placeholders in the strings of a JSON value.</summary>
    /// <returns>Whether the value held a placeholder to restore; <paramref name="restored"/> is then the value rebuilt.</returns>
    public static bool TryRestore(JsonElement json, PiiRequest pii, int mask, out JsonElement restored)
    {
        var state = (Pii: pii, Mask: mask, Replacements: (Dictionary<int, string>?)null);
        ForEachString(json, ref state, static (ref (PiiRequest Pii, int Mask, Dictionary<int, string>? Replacements) s, int ordinal, ReadOnlySpan<char> text) =>
        {
            if (!text.Contains('['))
            {
                return;
            }

            string original = text.ToString();
            string value = s.Pii.Restore(original, s.Mask);
            if (!ReferenceEquals(value, original))
            {
                (s.Replacements ??= [])[ordinal] = value;
            }
        });

        restored = state.Replacements is null ? json : Rebuild(json, state.Replacements);
        return state.Replacements is not null;
    }

    /// <summary>Writes the JSON value again with the strings at the given ordinals replaced.</summary>
    public static JsonElement Rebuild(JsonElement json, IReadOnlyDictionary<int, string> replacements)
    {
        var reader = new Utf8JsonReader(JsonMarshal.GetRawUtf8Value(json));
        var output = new ArrayBufferWriter<byte>(JsonMarshal.GetRawUtf8Value(json).Length + 64);
        using (var writer = new Utf8JsonWriter(output))
        {
            int ordinal = -1;
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        writer.WriteStartObject();
                        break;
                    case JsonTokenType.EndObject:
                        writer.WriteEndObject();
                        break;
                    case JsonTokenType.StartArray:
                        writer.WriteStartArray();
                        break;
                    case JsonTokenType.EndArray:
                        writer.WriteEndArray();
                        break;
                    case JsonTokenType.PropertyName:
                        ordinal++;
                        writer.WritePropertyName(replacements.TryGetValue(ordinal, out string? name) ? name : reader.GetString()!);
                        break;
                    case JsonTokenType.String:
                        ordinal++;
                        writer.WriteStringValue(replacements.TryGetValue(ordinal, out string? value) ? value : reader.GetString());
                        break;
                    case JsonTokenType.Number:
                        writer.WriteRawValue(reader.ValueSpan, skipInputValidation: true);
                        break;
                    case JsonTokenType.True:
                        writer.WriteBooleanValue(true);
                        break;
                    case JsonTokenType.False:
                        writer.WriteBooleanValue(false);
                        break;
                    case JsonTokenType.Null:
                        writer.WriteNullValue();
                        break;
                }
            }
        }

        return JsonElement.Parse(output.WrittenSpan);
    }

    /// <summary>Visits one unescaped string of a JSON value.</summary>
    private delegate void StringVisitor<TState>(ref TState state, int ordinal, ReadOnlySpan<char> text);

    /// <summary>Calls <paramref name="visit"/> with every string and property name of the value, unescaped into a pooled buffer, in document order.</summary>
    private static void ForEachString<TState>(JsonElement json, ref TState state, StringVisitor<TState> visit)
    {
        var reader = new Utf8JsonReader(JsonMarshal.GetRawUtf8Value(json));
        int ordinal = -1;
        char[]? rented = null;
        Span<char> stack = stackalloc char[StackChars];
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.PropertyName))
                {
                    continue;
                }

                ordinal++;
                Span<char> buffer = Buffer(reader.ValueSpan.Length, stack, ref rented);
                visit(ref state, ordinal, buffer[..reader.CopyString(buffer)]);
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    private static Span<char> Buffer(int utf8Length, Span<char> stack, ref char[]? rented)
    {
        // Unescaped, a string has at most as many UTF-16 chars as its UTF-8 bytes.
        if (utf8Length <= stack.Length)
        {
            return stack;
        }

        if (rented is null || rented.Length < utf8Length)
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }

            rented = ArrayPool<char>.Shared.Rent(utf8Length);
        }

        return rented;
    }
}
