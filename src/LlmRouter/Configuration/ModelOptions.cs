namespace LlmRouter;

/// <summary>A model alias: the name callers ask for, the deployments that serve it, and where to go when they fail.</summary>
public sealed class ModelOptions
{
    /// <summary>Gets or sets the deployments serving this alias. At least one is required.</summary>
    public List<DeploymentOptions> Deployments { get; set; } = [];

    /// <summary>Gets or sets the aliases tried, in order, when every deployment of this alias failed with a transient error (rate limit, server error, timeout). The default value is empty.</summary>
    /// <remarks>A fallback's own fallbacks follow it; each alias is tried at most once per request.</remarks>
    public List<string> Fallbacks { get; set; } = [];

    /// <summary>Gets or sets the aliases tried when the request does not fit this alias's context window. The default value is empty (the general <see cref="Fallbacks"/> are used).</summary>
    public List<string> ContextWindowFallbacks { get; set; } = [];

    /// <summary>Gets or sets the aliases tried when the provider's content filter refused the request. The default value is empty (a content-filtered request is not sent elsewhere).</summary>
    public List<string> ContentPolicyFallbacks { get; set; } = [];

    /// <summary>Gets or sets the routing strategy for this alias, or <see langword="null"/> for <see cref="RoutingOptions.Strategy"/>. The default value is <see langword="null"/>.</summary>
    public string? Strategy { get; set; }
}
