using System.Buffers;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.ML.Tokenizers;

namespace LlmRouter;

/// <summary>
/// The text an attempt produced, kept in pooled buffers so that its tokens can be counted when the provider reports
/// none (a stream without usage, or one cut off before its usage arrived).
/// </summary>
/// <remarks>Appending copies characters into buffers rented from <see cref="ArrayPool{T}.Shared"/>; nothing is allocated per update. Dispose to return them.</remarks>
internal sealed class StreamTranscript : IDisposable
{
    private Buffer _text;
    private Buffer _reasoning;
    private List<FunctionCallContent>? _calls;

    /// <summary>Gets whether nothing was produced.</summary>
    public bool IsEmpty => _text.Length == 0 && _reasoning.Length == 0 && _calls is null;

    public void Append(IList<AIContent> contents)
    {
        for (int i = 0; i < contents.Count; i++)
        {
            switch (contents[i])
            {
                case TextContent text:
                    _text.Append(text.Text);
                    break;
                case TextReasoningContent reasoning:
                    _reasoning.Append(reasoning.Text);
                    break;
                case FunctionCallContent call:
                    (_calls ??= []).Add(call);
                    break;
            }
        }
    }

    public void Append(ChatResponse response)
    {
        foreach (ChatMessage message in response.Messages)
        {
            Append(message.Contents);
        }
    }

    /// <summary>Counts the produced tokens: text and tool calls as output, reasoning text as reasoning.</summary>
    public TokenUsage Count(Tokenizer tokenizer)
    {
        long output = _text.Count(tokenizer);
        if (_calls is not null)
        {
            foreach (FunctionCallContent call in _calls)
            {
                output += tokenizer.CountTokens(call.Name);
                if (call.Arguments is { Count: > 0 } arguments)
                {
                    output += tokenizer.CountTokens(JsonSerializer.Serialize(arguments, AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(IDictionary<string, object?>))));
                }
            }
        }

        return new TokenUsage { OutputTokens = output, ReasoningTokens = _reasoning.Count(tokenizer) };
    }

    public void Dispose()
    {
        _text.Return();
        _reasoning.Return();
    }

    private struct Buffer
    {
        private char[]? _chars;

        public int Length { get; private set; }

        public void Append(string? text)
        {
            if (string.IsNullOrEmpty(text))
            {
                return;
            }

            if (_chars is null || _chars.Length - Length < text.Length)
            {
                char[] larger = ArrayPool<char>.Shared.Rent(Math.Max(Length + text.Length, Math.Max(256, (_chars?.Length ?? 0) * 2)));
                if (_chars is not null)
                {
                    _chars.AsSpan(0, Length).CopyTo(larger);
                    ArrayPool<char>.Shared.Return(_chars);
                }

                _chars = larger;
            }

            text.CopyTo(_chars.AsSpan(Length));
            Length += text.Length;
        }

        public readonly long Count(Tokenizer tokenizer) => Length == 0 ? 0 : tokenizer.CountTokens(_chars.AsSpan(0, Length));

        public void Return()
        {
            if (_chars is not null)
            {
                ArrayPool<char>.Shared.Return(_chars);
                _chars = null;
                Length = 0;
            }
        }
    }
}
