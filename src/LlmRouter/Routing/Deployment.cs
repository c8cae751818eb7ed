using Microsoft.Extensions.AI;

namespace LlmRouter;

/// <summary>One deployment of a model alias, as the routing table holds it: provider, region, provider model id, weight and health.</summary>
/// <remarks>Immutable except for <see cref="Health"/>, which is thread-safe. Instances belong to one routing table and are replaced when configuration reloads.</remarks>
public sealed class Deployment
{
    internal Deployment(string model, int index, string provider, ProviderKind providerKind, string region, string providerModel, double weight, IChatClient client, DeploymentHealth health)
    {
        Model = model;
        Index = index;
        Provider = provider;
        ProviderKind = providerKind;
        Region = region;
        ProviderModel = providerModel;
        Weight = weight;
        Client = client;
        Health = health;
        Id = health.Id;
    }

    /// <summary>Gets the alias this deployment serves.</summary>
    public string Model { get; }

    /// <summary>Gets the position of this deployment in its alias's <c>Deployments</c> list.</summary>
    public int Index { get; }

    /// <summary>Gets the provider's name.</summary>
    public string Provider { get; }

    /// <summary>Gets the provider's kind.</summary>
    public ProviderKind ProviderKind { get; }

    /// <summary>Gets the region where the provider processes data.</summary>
    public string Region { get; }

    /// <summary>Gets the model id sent to the provider.</summary>
    public string ProviderModel { get; }

    /// <summary>Gets the deployment's weight for the <c>Weighted</c> strategy.</summary>
    public double Weight { get; }

    /// <summary>Gets <c>provider/provider-model</c>, which identifies the deployment's health across aliases and reloads.</summary>
    public string Id { get; }

    /// <summary>Gets the deployment's health: in-flight requests, latency, failures and cooldown.</summary>
    public DeploymentHealth Health { get; }

    internal IChatClient Client { get; }

    /// <inheritdoc/>
    public override string ToString() => Model + " -> " + Id + " (" + Region + ")";
}
