namespace LlmRouter;

/// <summary>The encoding a deployment's tokens are counted with, and whether it is the model's own (exact) or an approximation.</summary>
internal readonly record struct TokenizerChoice(TokenEncoding Encoding, bool IsExact)
{
    public override string ToString() => (Encoding == TokenEncoding.O200kBase ? "o200k_base" : "cl100k_base") + (IsExact ? string.Empty : " (approximation)");
}
