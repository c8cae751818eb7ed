using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlmRouter;

/// <summary>
/// What the PII guard found in one request, and the request as each region may receive it: the personal data is
/// replaced by typed placeholders (<c>[EMAIL_1]</c>) for the kinds the target region's policy redacts. One value gets
/// one placeholder throughout the request, so the model can refer to it and the response can be restored.
/// </summary>
/// <remarks>
/// What is scanned: the instructions, texts, reasoning texts, tool results and tool-call arguments — a result or argument
/// that is not a string is scanned as the JSON a provider client sends it as (every string in it, property names
/// included, at any depth; see <see cref="PiiJson"/>), and redacted by rebuilding that JSON.
/// Created only when something was found; scanning a request without personal data allocates nothing (a tool result or
/// argument that is neither a string nor a <see cref="JsonElement"/> is serialized to be scanned). Redacted copies
/// are built once per set of redacted kinds and reused across attempts. The original messages and the caller's
/// instances are never modified. Holds personal data until <see cref="Release"/>. Not thread-safe: one request is
/// processed by one flow at a time.
/// </remarks>
internal sealed class PiiRequest
{
    private static readonly SearchValues<char> PlaceholderChars = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");

    private readonly PiiPolicy _policy;
    private readonly IEnumerable<ChatMessage> _messages;
    private readonly ChatOptions _options;
    private readonly string? _instructions;
    private readonly List<Segment> _segments;
    private readonly List<View> _views = new(1);
    private readonly Dictionary<string, (string Value, PiiKind Kind)> _placeholders;
    private readonly int _maxPlaceholderLength;

    private PiiRequest(PiiPolicy policy, IEnumerable<ChatMessage> messages, ChatOptions options, List<Segment> segments, ILogger? logger)
    {
        _policy = policy;
        Logger = logger ?? NullLogger.Instance;
        _messages = messages;
        _options = options;
        _instructions = options.Instructions;
        _segments = segments;
        _placeholders = new Dictionary<string, (string, PiiKind)>(StringComparer.Ordinal);

        var byValue = new Dictionary<(PiiKind, string), string>();
        Span<int> counters = stackalloc int[PiiKindInfo.Count];
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (Segment segment in segments)
        {
            for (int i = 0; i < segment.Matches.Count; i++)
            {
                PiiMatch match = segment.Matches[i];
                string value = segment.Text.Substring(match.Start, match.Length);
                if (!byValue.TryGetValue((match.Kind, value), out string? placeholder))
                {
                    int n = ++counters[(int)match.Kind];
                    placeholder = "[" + PiiKindInfo.Tag(match.Kind) + "_" + n.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]";
                    byValue[(match.Kind, value)] = placeholder;
                    _placeholders[placeholder] = (value, match.Kind);
                    _maxPlaceholderLength = Math.Max(_maxPlaceholderLength, placeholder.Length);
                }

                segment.Placeholders[i] = placeholder;
                Found |= PiiKindInfo.Bit(match.Kind);
                string name = PiiKindInfo.Name(match.Kind);
                counts[name] = counts.GetValueOrDefault(name) + 1;
            }
        }

        Counts = counts;
    }

    /// <summary>Gets the kinds found, as a mask of <see cref="PiiKind"/> bits.</summary>
    public int Found { get; }

    /// <summary>Gets how many values of each kind were found (an occurrence counts each time it appears).</summary>
    public IReadOnlyDictionary<string, int> Counts { get; }

    public PiiPolicy Policy => _policy;

    /// <summary>Gets the key policy layer's logger, which the redactions made for each attempt are logged to.</summary>
    public ILogger Logger { get; }

    /// <summary>Scans the request's instructions and messages.</summary>
    /// <returns>The findings, or <see langword="null"/> when there is no personal data.</returns>
    public static PiiRequest? Scan(IEnumerable<ChatMessage> messages, ChatOptions options, PiiPolicy policy, ILogger? logger = null)
    {
        List<Segment>? segments = null;
        if (options.Instructions is { } instructions)
        {
            Add(ref segments, instructions, -1, -1, null);
        }

        if (messages is IList<ChatMessage> list)
        {
            for (int m = 0; m < list.Count; m++)
            {
                ScanMessage(ref segments, list[m], m);
            }
        }
        else
        {
            int m = 0;
            foreach (ChatMessage message in messages)
            {
                ScanMessage(ref segments, message, m++);
            }
        }

        return segments is null ? null : new PiiRequest(policy, messages, options, segments, logger);
    }

    /// <summary>Gets whether a kind found is blocked in the region.</summary>
    public bool BlockedIn(string region) => (Found & _policy.BlockIn(region)) != 0;

    /// <summary>Gets the kinds found that are redacted before sending to the region.</summary>
    public int RedactedIn(string region) => Found & _policy.RedactIn(region);

    /// <summary>
    /// Prepares the request for an attempt in the region: sets the options' instructions and returns the messages to
    /// send, or <see langword="null"/> to send the original messages.
    /// </summary>
    /// <param name="region">The region of the deployment about to be called.</param>
    /// <param name="redactions">The number of values replaced.</param>
    public IList<ChatMessage>? Prepare(string region, out int redactions)
    {
        int mask = RedactedIn(region);
        if (mask == 0)
        {
            _options.Instructions = _instructions;
            redactions = 0;
            return null;
        }

        View view = ViewFor(mask);
        _options.Instructions = view.Instructions;
        redactions = view.Redactions;
        return view.Messages;
    }

    /// <summary>Replaces, in the text, the placeholders of the kinds in <paramref name="mask"/> with their values.</summary>
    public string Restore(string text, int mask)
    {
        if (mask == 0 || _placeholders.Count == 0)
        {
            return text;
        }

        int open = text.IndexOf('[', StringComparison.Ordinal);
        if (open < 0)
        {
            return text;
        }

        Dictionary<string, (string Value, PiiKind Kind)>.AlternateLookup<ReadOnlySpan<char>> lookup = _placeholders.GetAlternateLookup<ReadOnlySpan<char>>();
        StringBuilder? restored = null;
        int copied = 0;
        while (open >= 0)
        {
            int close = text.IndexOf(']', open + 1, Math.Min(_maxPlaceholderLength - 1, text.Length - open - 1));
            if (close > 0 && lookup.TryGetValue(text.AsSpan(open, close - open + 1), out (string Value, PiiKind Kind) entry) && (mask & PiiKindInfo.Bit(entry.Kind)) != 0)
            {
                restored ??= new StringBuilder(text.Length + 32);
                restored.Append(text, copied, open - copied).Append(entry.Value);
                copied = close + 1;
                open = copied < text.Length ? text.IndexOf('[', copied) : -1;
            }
            else
            {
                open = text.IndexOf('[', open + 1);
            }
        }

        return restored is null ? text : restored.Append(text, copied, text.Length - copied).ToString();
    }

    /// <summary>Restores placeholders in a response's texts and tool-call arguments.</summary>
    public void Restore(ChatResponse response, int mask)
    {
        if (mask == 0)
        {
            return;
        }

        foreach (ChatMessage message in response.Messages)
        {
            foreach (AIContent content in message.Contents)
            {
                RestoreContent(content, mask);
            }
        }
    }

    /// <summary>Restores placeholders in one content: a text, a reasoning text, or a tool call's arguments (strings, and the strings inside JSON values).</summary>
    public void RestoreContent(AIContent content, int mask)
    {
        switch (content)
        {
            case TextContent text:
                text.Text = Restore(text.Text, mask);
                break;
            case TextReasoningContent reasoning:
                reasoning.Text = Restore(reasoning.Text, mask);
                break;
            case FunctionCallContent { Arguments: { Count: > 0 } arguments }:
                string[] names = new string[arguments.Count];
                arguments.Keys.CopyTo(names, 0);
                foreach (string name in names)
                {
                    switch (arguments[name])
                    {
                        case string value:
                            arguments[name] = Restore(value, mask);
                            break;
                        case JsonElement json when PiiJson.TryRestore(json, this, mask, out JsonElement restored):
                            arguments[name] = restored;
                            break;
                    }
                }

                break;
        }
    }

    /// <summary>Gets where a placeholder may begin at the end of a streamed text (to hold it back until its end arrives), or -1.</summary>
    public int PartialPlaceholderStart(string text)
    {
        int open = text.LastIndexOf('[');
        if (open < 0)
        {
            return -1;
        }

        ReadOnlySpan<char> tail = text.AsSpan(open + 1);
        return tail.Length < _maxPlaceholderLength - 1 && !tail.ContainsAnyExcept(PlaceholderChars) ? open : -1;
    }

    /// <summary>Lets go of the personal data and the redacted copies once the request has completed.</summary>
    public void Release()
    {
        _segments.Clear();
        _views.Clear();
        _placeholders.Clear();
    }

    private static void ScanMessage(ref List<Segment>? segments, ChatMessage message, int m)
    {
        IList<AIContent> contents = message.Contents;
        for (int c = 0; c < contents.Count; c++)
        {
            switch (contents[c])
            {
                case TextContent text:
                    Add(ref segments, text.Text, m, c, null);
                    break;
                case TextReasoningContent reasoning:
                    Add(ref segments, reasoning.Text, m, c, null);
                    break;
                case FunctionResultContent { Result: { } result }:
                    AddValue(ref segments, result, m, c, null);
                    break;
                case FunctionCallContent { Arguments: Dictionary<string, object?> arguments }:
                    // The concrete type's enumerator is a struct: scanning arguments without personal data allocates nothing.
                    foreach (KeyValuePair<string, object?> argument in arguments)
                    {
                        AddValue(ref segments, argument.Value, m, c, argument.Key);
                    }

                    break;
                case FunctionCallContent { Arguments: { } arguments }:
                    foreach (KeyValuePair<string, object?> argument in arguments)
                    {
                        AddValue(ref segments, argument.Value, m, c, argument.Key);
                    }

                    break;
            }
        }
    }

    /// <summary>Scans a tool result or argument: a string as text, anything else as the JSON it is sent as.</summary>
    private static void AddValue(ref List<Segment>? segments, object? value, int message, int content, string? argument)
    {
        if (value is string text)
        {
            Add(ref segments, text, message, content, argument);
            return;
        }

        if (!PiiJson.TryGetJson(value, out JsonElement json) || PiiJson.Scan(json) is not { } findings)
        {
            return;
        }

        segments ??= [];
        foreach (PiiJson.Finding finding in findings)
        {
            segments.Add(new Segment(message, content, argument, finding.Text, finding.Matches, new string[finding.Matches.Count]) { Json = json, Ordinal = finding.Ordinal });
        }
    }

    private static void Add(ref List<Segment>? segments, string? text, int message, int content, string? argument)
    {
        if (string.IsNullOrEmpty(text) || PiiScanner.Scan(text) is not { } matches)
        {
            return;
        }

        (segments ??= []).Add(new Segment(message, content, argument, text, matches, new string[matches.Count]));
    }

    private View ViewFor(int mask)
    {
        foreach (View existing in _views)
        {
            if (existing.Mask == mask)
            {
                return existing;
            }
        }

        var messages = _messages as IList<ChatMessage> ?? [.. _messages];
        var redacted = new List<ChatMessage>(messages.Count);
        redacted.AddRange(messages);
        string? instructions = _instructions;
        int redactions = 0;
        Dictionary<int, string>? strings = null;
        for (int s = 0; s < _segments.Count; s++)
        {
            Segment segment = _segments[s];
            string text = Redact(segment, mask, ref redactions);
            if (segment.Json is { } json)
            {
                // The strings of one JSON value are contiguous: collect them, and rebuild the value once after its last.
                if (!ReferenceEquals(text, segment.Text))
                {
                    (strings ??= [])[segment.Ordinal] = text;
                }

                if (s + 1 < _segments.Count && _segments[s + 1].SameValueAs(segment))
                {
                    continue;
                }

                if (strings is null)
                {
                    continue;
                }

                Put(redacted, messages, segment, PiiJson.Rebuild(json, strings));
                strings = null;
                continue;
            }

            if (ReferenceEquals(text, segment.Text))
            {
                continue;
            }

            if (segment.Message < 0)
            {
                instructions = text;
                continue;
            }

            Put(redacted, messages, segment, text);
        }

        var view = new View(mask, redacted, instructions, redactions);
        _views.Add(view);
        return view;
    }

    private static string Redact(Segment segment, int mask, ref int redactions)
    {
        StringBuilder? text = null;
        int copied = 0;
        for (int i = 0; i < segment.Matches.Count; i++)
        {
            PiiMatch match = segment.Matches[i];
            if ((mask & PiiKindInfo.Bit(match.Kind)) == 0)
            {
                continue;
            }

            text ??= new StringBuilder(segment.Text.Length);
            text.Append(segment.Text, copied, match.Start - copied).Append(segment.Placeholders[i]);
            copied = match.End;
            redactions++;
        }

        return text is null ? segment.Text : text.Append(segment.Text, copied, segment.Text.Length - copied).ToString();
    }

    /// <summary>Puts the redacted value of a segment into the redacted messages.</summary>
    private static void Put(List<ChatMessage> redacted, IList<ChatMessage> messages, Segment segment, object value)
    {
        // A message is copied once, the first time one of its contents changes; contents that do not change are shared.
        ChatMessage message = redacted[segment.Message];
        if (ReferenceEquals(message, messages[segment.Message]))
        {
            message = CopyOf(message);
            redacted[segment.Message] = message;
        }

        message.Contents[segment.Content] = Replace(message.Contents[segment.Content], segment.Argument, value);
    }

    /// <summary>
    /// Copies a message without its raw representation: an SDK would otherwise send the raw (unredacted) message instead
    /// of the redacted contents.
    /// </summary>
    private static ChatMessage CopyOf(ChatMessage message) => new(message.Role, [.. message.Contents])
    {
        AuthorName = message.AuthorName,
        MessageId = message.MessageId,
        CreatedAt = message.CreatedAt,
        AdditionalProperties = message.AdditionalProperties,
    };

    /// <summary>Creates the redacted content, without the original's raw representation.</summary>
    /// <param name="content">The content being redacted.</param>
    /// <param name="argument">The tool-call argument being redacted, for a tool call.</param>
    /// <param name="value">The redacted text, or the rebuilt JSON value of a tool result or argument.</param>
    private static AIContent Replace(AIContent content, string? argument, object value) => content switch
    {
        TextContent original => new TextContent((string)value) { AdditionalProperties = original.AdditionalProperties, Annotations = original.Annotations },
        TextReasoningContent original => new TextReasoningContent((string)value) { AdditionalProperties = original.AdditionalProperties, ProtectedData = original.ProtectedData },
        FunctionResultContent original => new FunctionResultContent(original.CallId, value) { AdditionalProperties = original.AdditionalProperties, Exception = original.Exception },
        FunctionCallContent original => new FunctionCallContent(original.CallId, original.Name, WithArgument(original.Arguments!, argument!, value))
        {
            AdditionalProperties = original.AdditionalProperties,
        },
        _ => content,
    };

    private static Dictionary<string, object?> WithArgument(IDictionary<string, object?> arguments, string name, object value) =>
        new(arguments) { [name] = value };

    /// <summary>One scanned text that contains personal data: where it is, what was found, and each match's placeholder.</summary>
    /// <remarks>A string inside a tool result's or argument's JSON also names that value (<see cref="Json"/>) and its ordinal in it.</remarks>
    private sealed record Segment(int Message, int Content, string? Argument, string Text, List<PiiMatch> Matches, string[] Placeholders)
    {
        /// <summary>Gets the JSON value the string is in, or <see langword="null"/> for a text of its own.</summary>
        public JsonElement? Json { get; init; }

        /// <summary>Gets the string's ordinal among the strings and property names of <see cref="Json"/>.</summary>
        public int Ordinal { get; init; } = -1;

        public bool SameValueAs(Segment other) =>
            Json is not null && other.Json is not null && Message == other.Message && Content == other.Content && string.Equals(Argument, other.Argument, StringComparison.Ordinal);
    }

    private sealed record View(int Mask, IList<ChatMessage> Messages, string? Instructions, int Redactions);
}
