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

    /// <summary>
    /// Gets the deployment's prices, resolved when the routing table was built (a <c>Prices</c> entry of the configuration,
    /// else the built-in catalog), or <see langword="null"/> when no price is known.
    /// </summary>
    public ModelPrice? Price { get; internal init; }

    /// <summary>Gets the most prompt tokens the model accepts, when known (the catalog's <c>max_input_tokens</c>, or <c>Prices:{name}:MaxInputTokens</c>).</summary>
    public int? MaxInputTokens { get; internal init; }

    /// <summary>Gets the most tokens the model generates in one response, when known.</summary>
    public int? MaxOutputTokens { get; internal init; }

    /// <summary>
    /// Gets the model's whole context window — prompt and output together — when it is configured
    /// (<c>Prices:{name}:ContextWindowTokens</c>); <see langword="null"/> otherwise: the built-in catalog knows input and
    /// output limits only.
    /// </summary>
    public int? ContextWindowTokens { get; internal init; }

    /// <summary>Gets how the provider's client reports usage (never <see cref="UsageFormat.Auto"/>).</summary>
    internal UsageFormat UsageFormat { get; init; } = UsageFormat.OpenAI;

    /// <summary>Gets the encoding this deployment's tokens are counted with.</summary>
    internal TokenizerChoice Tokenizer { get; init; } = new(TokenEncoding.O200kBase, IsExact: false);

    internal IChatClient Client { get; }

    /// <inheritdoc/>
    public override string ToString() => Model + " -> " + Id + " (" + Region + ")";
}
