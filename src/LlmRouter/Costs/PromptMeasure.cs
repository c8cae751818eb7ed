using System.Text;
using System.Text.Json;
using Microsoft.ML.Tokenizers;
using Microsoft.Extensions.AI;

namespace LlmRouter;

/// <summary>
/// Measures a prompt — messages, instructions, tool definitions and response schema — three ways, from cheapest to
/// exact: an upper bound from string lengths alone, an upper bound from UTF-8 byte counts, and a tokenizer count.
/// </summary>
/// <remarks>
/// <para>
/// Both bounds are safe for the text of a prompt with any byte-level BPE tokenizer (every tiktoken encoding, and the
/// byte-fallback tokenizers of other models): a token covers at least one UTF-8 byte, and a UTF-16 character is at most
/// three UTF-8 bytes. Message framing gets the same fixed allowances in all three measures, so a bound is never below
/// the count.
/// </para>
/// <para>
/// Images, audio, documents, links and hosted files cannot be bounded from what the router sees: a provider bills an
/// image by its pixels and the model (several thousand tokens on some), a PDF by its pages' text and images, a link or a
/// file by what it points at. Every measure adds an estimate for them — <see cref="TokenCounting.TokensPerImage"/> per
/// image, a token per <see cref="TokenCounting.BytesPerBinaryToken"/> bytes of other data — good for pricing a call
/// whose provider reported no usage or for comparing deployments, and the bounds also report the prompt as
/// <see cref="PromptSize.Unbounded"/>, so that nothing that needs a real bound (a budget) relies on the estimate.
/// </para>
/// </remarks>
internal static class PromptMeasure
{
    /// <summary>An upper bound on the prompt's tokens from string lengths only: no text is read.</summary>
    public static PromptSize CharBound(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        var measure = new CharMeasure();
        Walk(messages, options, ref measure);
        return new PromptSize(measure.Total, measure.Unbounded);
    }

    /// <summary>An upper bound on the prompt's tokens from its UTF-8 byte count (vectorized, no allocation).</summary>
    public static PromptSize ByteBound(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        var measure = new ByteMeasure();
        Walk(messages, options, ref measure);
        return new PromptSize(measure.Total, measure.Unbounded);
    }

    /// <summary>The prompt's tokens counted with a tokenizer.</summary>
    public static long Count(IEnumerable<ChatMessage> messages, ChatOptions? options, Tokenizer tokenizer)
    {
        var measure = new TokenMeasure(tokenizer);
        Walk(messages, options, ref measure);
        return measure.Total;
    }

    private static void Walk<TMeasure>(IEnumerable<ChatMessage> messages, ChatOptions? options, ref TMeasure measure)
        where TMeasure : struct, IMeasure
    {
        if (options is not null)
        {
            if (!string.IsNullOrEmpty(options.Instructions))
            {
                measure.Fixed(TokenCounting.TokensPerMessage);
                measure.Text(options.Instructions);
            }

            if (options.Tools is { Count: > 0 } tools)
            {
                foreach (AITool tool in tools)
                {
                    measure.Text(tool.Name);
                    measure.Text(tool.Description);
                    if (tool is AIFunctionDeclaration function)
                    {
                        measure.Text(function.JsonSchema.GetRawText());
                    }
                }
            }

            if (options.ResponseFormat is ChatResponseFormatJson { Schema: { } schema })
            {
                measure.Text(schema.GetRawText());
            }
        }

        // Indexed when the messages are a list (the router makes them one): no enumerator is allocated.
        if (messages is IList<ChatMessage> list)
        {
            for (int i = 0; i < list.Count; i++)
            {
                Message(list[i], ref measure);
            }
        }
        else
        {
            foreach (ChatMessage message in messages)
            {
                Message(message, ref measure);
            }
        }

        measure.Fixed(TokenCounting.ReplyPriming);
    }

    private static void Message<TMeasure>(ChatMessage message, ref TMeasure measure)
        where TMeasure : struct, IMeasure
    {
        measure.Fixed(TokenCounting.TokensPerMessage);
        if (message.AuthorName is { Length: > 0 } author)
        {
            measure.Text(author);
        }

        IList<AIContent> contents = message.Contents;
        for (int i = 0; i < contents.Count; i++)
        {
            Content(contents[i], ref measure);
        }
    }

    private static void Content<TMeasure>(AIContent content, ref TMeasure measure)
        where TMeasure : struct, IMeasure
    {
        switch (content)
        {
            case TextContent text:
                measure.Text(text.Text);
                break;
            case TextReasoningContent reasoning:
                measure.Text(reasoning.Text);
                break;
            case FunctionCallContent call:
                measure.Text(call.Name);
                if (call.Arguments is { Count: > 0 } arguments)
                {
                    measure.Text(JsonSerializer.Serialize(arguments, AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(IDictionary<string, object?>))));
                }

                break;
            case FunctionResultContent result:
                measure.Text(result.Result switch
                {
                    null => null,
                    string s => s,
                    JsonElement element => element.GetRawText(),
                    object other => JsonSerializer.Serialize(other, AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(object))),
                });
                break;
            case DataContent data:
                measure.Opaque(data.HasTopLevelMediaType("image")
                    ? TokenCounting.TokensPerImage
                    : (data.Data.Length + TokenCounting.BytesPerBinaryToken - 1) / TokenCounting.BytesPerBinaryToken);
                break;
            case UriContent uri:
                measure.Opaque(uri.HasTopLevelMediaType("image") ? TokenCounting.TokensPerImage : 0);
                break;
            case HostedFileContent:
                measure.Opaque(0);
                break;
        }
    }

    private interface IMeasure
    {
        void Text(string? text);

        void Fixed(long tokens);

        /// <summary>Content whose size the router cannot bound: every measure adds its estimate, and a bound becomes unbounded.</summary>
        void Opaque(long estimate);
    }

    private struct CharMeasure : IMeasure
    {
        public long Total;
        public bool Unbounded;

        public void Text(string? text) => Total += 3L * (text?.Length ?? 0);

        public void Fixed(long tokens) => Total += tokens;

        public void Opaque(long estimate)
        {
            Total += estimate;
            Unbounded = true;
        }
    }

    private struct ByteMeasure : IMeasure
    {
        public long Total;
        public bool Unbounded;

        public void Text(string? text) => Total += text is null ? 0 : Encoding.UTF8.GetByteCount(text);

        public void Fixed(long tokens) => Total += tokens;

        public void Opaque(long estimate)
        {
            Total += estimate;
            Unbounded = true;
        }
    }

    private struct TokenMeasure : IMeasure
    {
        private readonly Tokenizer _tokenizer;
        public long Total;

        public TokenMeasure(Tokenizer tokenizer) => _tokenizer = tokenizer;

        public void Text(string? text) => Total += string.IsNullOrEmpty(text) ? 0 : _tokenizer.CountTokens(text.AsSpan());

        public void Fixed(long tokens) => Total += tokens;

        public void Opaque(long estimate) => Total += estimate;
    }
}
