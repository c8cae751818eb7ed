namespace LlmRouter;

/// <summary>Whether the router has put a routing table in service, which turns configuration validation from "fail the start" into "keep the old table".</summary>
internal sealed class RouterLifecycle
{
    private volatile bool _serving;

    public bool Serving
    {
        get => _serving;
        set => _serving = value;
    }
}
