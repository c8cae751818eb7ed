namespace LlmRouter.Samples.Tests.Support;

/// <summary>Configuration overrides the specs add to the sample's own <c>appsettings.json</c>.</summary>
internal static class Settings
{
    /// <summary>The alias served by the <see cref="StubProvider"/> registered as provider <c>stub</c> (region eu).</summary>
    public const string StubModel = "stub-model";

    /// <summary>
    /// A provider <c>stub</c> registered in code (region eu), the alias <see cref="StubModel"/> it serves (priced as
    /// gpt-4o-mini), and that alias added to the whitelist of <c>client-chat</c>, the key of the demo token.
    /// </summary>
    public static Dictionary<string, string?> WithStub(Dictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["LlmRouter:Providers:stub:Kind"] = "Custom",
            ["LlmRouter:Providers:stub:Region"] = "eu",
            [$"LlmRouter:Models:{StubModel}:Deployments:0:Provider"] = "stub",
            [$"LlmRouter:Models:{StubModel}:Deployments:0:Model"] = "stub-1",
            [$"LlmRouter:Models:{StubModel}:Deployments:0:PriceAs"] = "gpt-4o-mini",
            ["LlmRouter:Keys:client-chat:Models:2"] = StubModel,
        };

        foreach ((string key, string? value) in more ?? [])
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>Adds a client of the endpoint: its token's hash, and the key its requests are made with.</summary>
    public static Dictionary<string, string?> Client(this Dictionary<string, string?> settings, string name, string key, string token)
    {
        settings[$"OpenAIEndpoint:Clients:{name}:Key"] = key;
        settings[$"OpenAIEndpoint:Clients:{name}:TokenSha256"] = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token)));
        return settings;
    }

    /// <summary>Adds a key: its models and regions, and any further settings (<c>RateLimit:RequestsPerMinute</c>...) under it.</summary>
    public static Dictionary<string, string?> Key(this Dictionary<string, string?> settings, string key, string[] models, string[] regions, params (string Setting, string Value)[] more)
    {
        for (int i = 0; i < models.Length; i++)
        {
            settings[$"LlmRouter:Keys:{key}:Models:{i}"] = models[i];
        }

        for (int i = 0; i < regions.Length; i++)
        {
            settings[$"LlmRouter:Keys:{key}:Regions:{i}"] = regions[i];
        }

        foreach ((string setting, string value) in more)
        {
            settings[$"LlmRouter:Keys:{key}:{setting}"] = value;
        }

        return settings;
    }

    /// <summary>Starts the sample with the stub provider.</summary>
    public static Task<SampleHost> StartWithStubAsync(StubProvider stub, Dictionary<string, string?>? more = null) =>
        SampleHost.StartAsync(WithStub(more), router => router.AddProvider("stub", stub));
}
