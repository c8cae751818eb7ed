namespace WebApiSample.OpenAIEndpoint;

/// <summary>The <c>OpenAIEndpoint</c> configuration section: who may call <c>/v1</c>.</summary>
internal sealed class OpenAIEndpointOptions
{
    /// <summary>The configuration section: <c>OpenAIEndpoint</c>.</summary>
    public const string SectionName = "OpenAIEndpoint";

    /// <summary>Gets or sets the clients, by name.</summary>
    public Dictionary<string, ApiClientOptions> Clients { get; set; } = new(StringComparer.Ordinal);
}
