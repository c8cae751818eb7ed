namespace WebApiSample.OpenAIEndpoint;

/// <summary>One application allowed to call the OpenAI-compatible endpoint: <c>OpenAIEndpoint:Clients:{name}</c>.</summary>
/// <remarks>
/// The bearer token is a secret and is never stored: only its SHA-256 hash is configured. The name is a label for
/// people; <see cref="Key"/> is the LlmRouter virtual key the client's requests are made with.
/// </remarks>
internal sealed class ApiClientOptions
{
    /// <summary>Gets or sets the virtual key (a name under <c>LlmRouter:Keys</c>) the client's requests use.</summary>
    public string? Key { get; set; }

    /// <summary>Gets or sets the SHA-256 hash of the client's bearer token, 64 hexadecimal digits.</summary>
    public string? TokenSha256 { get; set; }
}
