namespace LlmRouter;

/// <summary>
/// Remembers the last options that passed validation. Once the start-up configuration has passed, validation of a reload
/// turns from "fail the start" into "keep what is in service": the routing table provider validates reloads, logs a bad
/// one and ignores it, and falls back to these options if a bad reload arrived before the first table was built.
/// </summary>
internal sealed class RouterLifecycle
{
    private LlmRouterOptions? _validated;

    /// <summary>Gets or sets the last options that passed validation, or <see langword="null"/> before the start-up configuration has.</summary>
    public LlmRouterOptions? Validated
    {
        get => Volatile.Read(ref _validated);
        set => Volatile.Write(ref _validated, value);
    }
}
