namespace LlmRouter;

/// <summary>A bound on a prompt's tokens: the bound of its text and framing, and whether it also holds content no bound covers.</summary>
/// <param name="Tokens">The bound of the prompt's text and framing.</param>
/// <param name="Unbounded">Whether the prompt holds content (an image, audio, a document, a link, a hosted file) whose size the router cannot bound.</param>
internal readonly record struct PromptSize(long Tokens, bool Unbounded);
