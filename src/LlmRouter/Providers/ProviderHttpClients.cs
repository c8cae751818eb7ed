namespace LlmRouter;

/// <summary>The names of the <see cref="HttpClient"/>s LlmRouter's HTTP providers use.</summary>
/// <remarks>
/// Each provider gets its own named client from <see cref="IHttpClientFactory"/>, so an application can add handlers
/// (a proxy, logging) with <c>services.AddHttpClient(ProviderHttpClients.NameFor("openai"))</c>.
/// </remarks>
public static class ProviderHttpClients
{
    /// <summary>The prefix of every provider's client name.</summary>
    public const string Prefix = "LlmRouter.Provider.";

    /// <summary>Gets the name of the <see cref="HttpClient"/> of a provider.</summary>
    /// <param name="provider">The provider's name.</param>
    /// <returns>The client's name.</returns>
    public static string NameFor(string provider) => Prefix + provider;
}
