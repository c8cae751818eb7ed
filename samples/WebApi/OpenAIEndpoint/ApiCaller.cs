namespace WebApiSample.OpenAIEndpoint;

/// <summary>The client a bearer token identified: its configured name and the virtual key its requests are made with.</summary>
/// <param name="Client">The client's name under <c>OpenAIEndpoint:Clients</c>.</param>
/// <param name="Key">The LlmRouter virtual key id.</param>
internal sealed record ApiCaller(string Client, string Key);
