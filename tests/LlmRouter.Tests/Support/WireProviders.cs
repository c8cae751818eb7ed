namespace LlmRouter.Tests.Support;

/// <summary>Provider and model settings that point LlmRouter at <see cref="OpenAIWireServer"/>s.</summary>
internal static class WireProviders
{
    /// <summary>The API key the OpenAI and Azure providers send.</summary>
    public const string ApiKey = "sk-wire-test-0123456789";

    /// <summary>An <see cref="ProviderKind.OpenAI"/> provider calling the server's <c>/v1/</c>.</summary>
    /// <remarks>Connection retries are off so that a refused connection fails at once.</remarks>
    public static ProviderOptions OpenAI(OpenAIWireServer server) =>
        new() { Kind = ProviderKind.OpenAI, Region = "eu", Endpoint = server.Endpoint, ApiKey = ApiKey, ConnectRetries = 0 };

    /// <summary>An <see cref="ProviderKind.AzureOpenAI"/> provider whose resource endpoint is the server's root.</summary>
    public static ProviderOptions Azure(OpenAIWireServer server) =>
        new() { Kind = ProviderKind.AzureOpenAI, Region = "ch", Endpoint = server.BaseAddress, ApiKey = ApiKey, ConnectRetries = 0 };

    /// <summary>An <see cref="ProviderKind.OpenAICompatible"/> provider without an API key, as a local vLLM or Ollama is run.</summary>
    public static ProviderOptions Compatible(OpenAIWireServer server) =>
        new() { Kind = ProviderKind.OpenAICompatible, Region = "local", Endpoint = server.Endpoint, ConnectRetries = 0 };

    /// <summary>An alias served by one deployment.</summary>
    public static ModelOptions Alias(string provider, string providerModel, params string[] fallbacks) =>
        new() { Deployments = [new DeploymentOptions { Provider = provider, Model = providerModel }], Fallbacks = [.. fallbacks] };

    /// <summary>
    /// The usual two-alias setup: <c>primary</c> (provider <c>a</c>, model <c>gpt-primary</c>) on one server, falling back to
    /// <c>secondary</c> (provider <c>b</c>, model <c>gpt-secondary</c>) on another.
    /// </summary>
    public static LlmRouterOptions PrimaryAndSecondary(OpenAIWireServer primary, OpenAIWireServer secondary)
    {
        var options = new LlmRouterOptions();
        options.Providers["a"] = OpenAI(primary);
        options.Providers["b"] = OpenAI(secondary);
        options.Models["primary"] = Alias("a", "gpt-primary", "secondary");
        options.Models["secondary"] = Alias("b", "gpt-secondary");
        return options;
    }
}
