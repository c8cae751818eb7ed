using System.ComponentModel.DataAnnotations;

namespace LlmRouter;

/// <summary>One deployment of a model alias: a provider and the model id that provider knows it by.</summary>
public sealed class DeploymentOptions
{
    /// <summary>Gets or sets the name of the provider (a key of <see cref="LlmRouterOptions.Providers"/>). Required.</summary>
    [Required]
    public string? Provider { get; set; }

    /// <summary>Gets or sets the model id sent to the provider, for example <c>gpt-4o-2024-08-06</c>. Required.</summary>
    [Required]
    public string? Model { get; set; }

    /// <summary>Gets or sets this deployment's share of traffic under the <c>Weighted</c> strategy. Zero takes it out of rotation. The default value is 1.</summary>
    public double Weight { get; set; } = 1;

    /// <summary>
    /// Gets or sets the model id to look up in the built-in price catalog instead of <see cref="Model"/>, for a
    /// deployment whose model id is a name of its own (an Azure OpenAI deployment name, a self-hosted model). The
    /// default value is <see langword="null"/> (<see cref="Model"/> is looked up).
    /// </summary>
    public string? PriceAs { get; set; }
}
