using Microsoft.ML.Tokenizers;

namespace LlmRouter;

/// <summary>
/// The tokenizers LlmRouter counts with — created once, on first use, and shared (they are thread-safe) — and the map
/// from a model id to its encoding.
/// </summary>
/// <remarks>
/// <c>o200k_base</c> is exact for GPT-4o, GPT-4.1, GPT-4.5, GPT-5, the o-series and gpt-oss; <c>cl100k_base</c> for
/// GPT-4 and GPT-3.5. Every other model (Claude, Gemini, Mistral, Llama, DeepSeek…) has a tokenizer of its own that
/// does not ship with .NET, so it is counted with <c>o200k_base</c> as an approximation and marked as such.
/// </remarks>
internal static class TokenCounting
{
    /// <summary>Tokens a chat message adds around its content (role and separators), as in OpenAI's chat format.</summary>
    public const int TokensPerMessage = 4;

    /// <summary>Tokens that prime the assistant's reply.</summary>
    public const int ReplyPriming = 3;

    /// <summary>
    /// The estimate for one image when a provider reported no usage: what a large image costs with OpenAI's GPT-4o (high
    /// detail) or Anthropic (about 1.15 megapixels). Not a bound — other models bill far more per image (GPT-4o mini about
    /// 33 times as many tokens) — so budgets reserve a prompt with an image at the model's maximum input instead.
    /// </summary>
    public const int TokensPerImage = 1600;

    /// <summary>Other binary content (audio, documents) is estimated at one token per this many bytes (an estimate, like <see cref="TokensPerImage"/>).</summary>
    public const int BytesPerBinaryToken = 4;

    private static readonly Lazy<Tokenizer> O200k = new(() => TiktokenTokenizer.CreateForEncoding("o200k_base"), LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly Lazy<Tokenizer> Cl100k = new(() => TiktokenTokenizer.CreateForEncoding("cl100k_base"), LazyThreadSafetyMode.ExecutionAndPublication);

    public static Tokenizer For(TokenEncoding encoding) => encoding == TokenEncoding.Cl100kBase ? Cl100k.Value : O200k.Value;

    /// <summary>Picks the encoding of a model by its id (provider prefixes and fine-tune markers ignored).</summary>
    public static TokenizerChoice ChoiceFor(string modelId)
    {
        ReadOnlySpan<char> name = modelId.AsSpan().Trim();
        int slash = name.LastIndexOf('/');
        if (slash >= 0)
        {
            name = name[(slash + 1)..];
        }

        if (name.StartsWith("ft:", StringComparison.OrdinalIgnoreCase))
        {
            name = name[3..];
        }

        if (name.StartsWith("gpt-4o", StringComparison.OrdinalIgnoreCase) || name.StartsWith("chatgpt-4o", StringComparison.OrdinalIgnoreCase) ||
            name.StartsWith("gpt-4.1", StringComparison.OrdinalIgnoreCase) || name.StartsWith("gpt-4.5", StringComparison.OrdinalIgnoreCase) ||
            name.StartsWith("gpt-5", StringComparison.OrdinalIgnoreCase) || name.StartsWith("gpt-oss", StringComparison.OrdinalIgnoreCase) ||
            name.StartsWith("codex-", StringComparison.OrdinalIgnoreCase) ||
            IsSeries(name, "o1") || IsSeries(name, "o3") || IsSeries(name, "o4"))
        {
            return new TokenizerChoice(TokenEncoding.O200kBase, IsExact: true);
        }

        if (name.StartsWith("gpt-4", StringComparison.OrdinalIgnoreCase) || name.StartsWith("gpt-3.5", StringComparison.OrdinalIgnoreCase) ||
            name.StartsWith("gpt-35", StringComparison.OrdinalIgnoreCase))
        {
            return new TokenizerChoice(TokenEncoding.Cl100kBase, IsExact: true);
        }

        return new TokenizerChoice(TokenEncoding.O200kBase, IsExact: false);
    }

    private static bool IsSeries(ReadOnlySpan<char> name, string series) =>
        name.StartsWith(series, StringComparison.OrdinalIgnoreCase) && (name.Length == series.Length || name[series.Length] == '-');
}
