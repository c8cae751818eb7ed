namespace LlmRouter;

/// <summary>The tiktoken encodings LlmRouter counts tokens with.</summary>
internal enum TokenEncoding
{
    /// <summary><c>o200k_base</c>: GPT-4o, GPT-4.1, GPT-4.5, GPT-5, the o-series, gpt-oss; also the approximation for every other model.</summary>
    O200kBase,

    /// <summary><c>cl100k_base</c>: GPT-4 and GPT-3.5.</summary>
    Cl100kBase,
}
