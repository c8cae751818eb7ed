using LlmRouter.Tests.Support;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;

namespace LlmRouter.Tests.Policies;

/// <summary>
/// A router for policy specs: a Swiss fiduciary's setup with one scripted provider per region, so that a spec can
/// assert which providers were called — and that a refused request reached none of them.
/// </summary>
/// <remarks>
/// Providers: <c>eu</c> (region eu), <c>eu2</c> (eu), <c>ch</c> (ch), <c>us</c> (us). Aliases: <c>mistral-eu-large</c>
/// (eu), <c>mistral-eu-small</c> (eu2), <c>claude-haiku-eu</c> (eu), <c>assistant-ch</c> (ch), <c>gpt-4o</c> (us, falls back
/// to <c>mistral-eu-large</c>), <c>mistral-eu-offshore</c> (us: its name matches <c>mistral-eu-*</c>, its region does
/// not). Key <c>client-chat</c> of tenant <c>acme</c>: models <c>mistral-eu-*</c> and <c>claude-haiku-eu</c>, regions eu and ch.
/// </remarks>
internal sealed class PolicyRouter : IAsyncDisposable
{
    public const string ClientKey = "client-chat";

    private PolicyRouter(LlmRouterClient router, Dictionary<string, ScriptedChatClient> providers)
    {
        Router = router;
        Providers = providers;
    }

    public LlmRouterClient Router { get; }

    public Dictionary<string, ScriptedChatClient> Providers { get; }

    public int Calls => Providers.Values.Sum(p => p.Calls);

    public static LlmRouterOptions Options()
    {
        var options = new LlmRouterOptions();
        foreach ((string name, string region) in new[] { ("eu", "eu"), ("eu2", "eu"), ("ch", "ch"), ("us", "us") })
        {
            options.Providers[name] = new ProviderOptions { Kind = ProviderKind.Custom, Region = region };
        }

        options.Models["mistral-eu-large"] = Routers.Model(("eu", "mistral-large-latest"));
        options.Models["mistral-eu-small"] = Routers.Model(("eu2", "mistral-small-latest"));
        options.Models["claude-haiku-eu"] = Routers.Model(("eu", "claude-haiku-4-5"));
        options.Models["assistant-ch"] = Routers.Model(("ch", "swiss-large"));
        options.Models["gpt-4o"] = Routers.Model(("us", "gpt-4o-2024-08-06"));
        options.Models["gpt-4o"].Fallbacks = ["mistral-eu-large"];
        options.Models["mistral-eu-offshore"] = Routers.Model(("us", "mistral-large-us"));
        options.Tenants["acme"] = new TenantOptions();
        options.Keys[ClientKey] = new KeyOptions
        {
            Tenant = "acme",
            Models = ["mistral-eu-*", "claude-haiku-eu"],
            Regions = ["eu", "ch"],
        };

        return options;
    }

    public static PolicyRouter Create(Action<LlmRouterOptions>? configure = null, FakeTimeProvider? time = null, Action<LlmRouterBuilder>? builder = null)
    {
        LlmRouterOptions options = Options();
        configure?.Invoke(options);
        var providers = options.Providers.Keys.ToDictionary(name => name, _ => new ScriptedChatClient());
        LlmRouterClient router = Routers.Create(options, time, b =>
        {
            foreach ((string name, ScriptedChatClient client) in providers)
            {
                b.AddProvider(name, client);
            }

            builder?.Invoke(b);
        });

        return new PolicyRouter(router, providers);
    }

    public static ChatOptions As(string? key, string? model)
    {
        var options = new ChatOptions { ModelId = model };
        return key is null ? options : options.WithRouterKey(key);
    }

    public Task<ChatResponse> AskAsync(string? key, string? model, string prompt = "Summarize the client's ledger.") =>
        Router.GetResponseAsync(prompt, As(key, model));

    public ValueTask DisposeAsync() => Router.DisposeAsync();
}
