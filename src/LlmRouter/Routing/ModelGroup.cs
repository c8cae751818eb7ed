namespace LlmRouter;

/// <summary>An alias in the routing table: its deployments, its strategy and its precomputed fallback chains.</summary>
internal sealed class ModelGroup
{
    public ModelGroup(string name, ModelOptions options, Deployment[] deployments, IDeploymentSelector selector)
    {
        Name = name;
        Options = options;
        Deployments = deployments;
        Selector = selector;
    }

    public string Name { get; }

    public ModelOptions Options { get; }

    public Deployment[] Deployments { get; }

    public IDeploymentSelector Selector { get; }

    /// <summary>Gets the aliases tried after this one on transient failures: its fallbacks, theirs in turn, then the default fallbacks.</summary>
    public ModelGroup[] Fallbacks { get; set; } = [];

    /// <summary>Gets the aliases tried when a request does not fit this alias's context window.</summary>
    public ModelGroup[] ContextWindowFallbacks { get; set; } = [];

    /// <summary>Gets the aliases tried when this alias's provider filtered the content.</summary>
    public ModelGroup[] ContentPolicyFallbacks { get; set; } = [];

    public override string ToString() => Name;
}
