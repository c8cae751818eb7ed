using LlmRouter.Tests.Policies;
using LlmRouter.Tests.Support;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace LlmRouter.Tests.Budgets;

/// <summary>
/// A router for budget specs, on a fake clock, with providers registered in code so a spec controls what each call
/// costs and when it ends.
/// </summary>
/// <remarks>
/// <para>
/// Aliases: <c>ledger</c> on <c>cheap</c> (a <see cref="MeteredChatClient"/> reporting 10 prompt and 2 output tokens),
/// <c>ledger-large</c> on <c>dear</c> (another metered client), <c>flaky</c> on <c>flaky</c> (a
/// <see cref="ScriptedChatClient"/>: 10 prompt and 2 output tokens when it succeeds). Prompt tokens are free and each
/// model's output is capped at 2 tokens, so a call's worst case is exactly its cost: <c>ledger</c> $0.001,
/// <c>ledger-large</c> $0.004, <c>flaky</c> $0.002 — and "what a limit allows" is exact.
/// </para>
/// <para>Keys <c>alpha</c> and <c>beta</c> of tenant <c>acme</c>, and <c>gamma</c> without a tenant; all may use every alias.</para>
/// </remarks>
internal sealed class BudgetRouter : IAsyncDisposable
{
    public const decimal LedgerCost = 0.001m;
    public const decimal LedgerLargeCost = 0.004m;
    public const decimal FlakyCost = 0.002m;

    private BudgetRouter(LlmRouterClient router, FakeTimeProvider time, MeteredChatClient cheap, MeteredChatClient dear, ScriptedChatClient flaky)
    {
        Router = router;
        Time = time;
        Cheap = cheap;
        Dear = dear;
        Flaky = flaky;
    }

    public LlmRouterClient Router { get; }

    public FakeTimeProvider Time { get; }

    public MeteredChatClient Cheap { get; }

    public MeteredChatClient Dear { get; }

    public ScriptedChatClient Flaky { get; }

    public IBudgetQuery Query => Router.Services.GetRequiredService<IBudgetQuery>();

    public IBudgetStore Store => Router.Services.GetRequiredService<IBudgetStore>();

    public BudgetStatistics Statistics => Router.Services.GetRequiredService<BudgetStatistics>();

    public FakeLogCollector Logs => Router.Services.GetFakeLogCollector();

    public static LlmRouterOptions Options()
    {
        var options = new LlmRouterOptions();
        foreach (string name in new[] { "cheap", "dear", "flaky" })
        {
            options.Providers[name] = new ProviderOptions { Kind = ProviderKind.Custom, Region = "ch" };
        }

        options.Models["ledger"] = Routers.Model(("cheap", "ledger-small"));
        options.Models["ledger-large"] = Routers.Model(("dear", "ledger-large"));
        options.Models["flaky"] = Routers.Model(("flaky", "ledger-flaky"));
        options.Prices["ledger-small"] = new ModelPriceOptions { InputPerMillion = 0, OutputPerMillion = 500, MaxOutputTokens = 2 };
        options.Prices["ledger-large"] = new ModelPriceOptions { InputPerMillion = 0, OutputPerMillion = 2000, MaxOutputTokens = 2 };
        options.Prices["ledger-flaky"] = new ModelPriceOptions { InputPerMillion = 0, OutputPerMillion = 1000, MaxOutputTokens = 2 };
        options.Tenants["acme"] = new TenantOptions();
        foreach ((string key, string? tenant) in new[] { ("alpha", "acme"), ("beta", "acme"), ("gamma", (string?)null) })
        {
            options.Keys[key] = new KeyOptions { Tenant = tenant, Models = ["*"], Regions = ["*"] };
        }

        return options;
    }

    public static BudgetRouter Create(Action<LlmRouterOptions> configure, FakeTimeProvider? time = null, Action<LlmRouterBuilder>? builder = null)
    {
        LlmRouterOptions options = Options();
        configure(options);
        time ??= Routers.Clock();
        var cheap = new MeteredChatClient();
        var dear = new MeteredChatClient();
        var flaky = new ScriptedChatClient();
        LlmRouterClient router = Routers.Create(options, time, b =>
        {
            b.AddProvider("cheap", cheap).AddProvider("dear", dear).AddProvider("flaky", flaky);
            b.Services.AddLogging(logging => logging.AddFakeLogging().SetMinimumLevel(LogLevel.Debug));
            builder?.Invoke(b);
        });

        return new BudgetRouter(router, time, cheap, dear, flaky);
    }

    public static ChatOptions As(string key, string model = "ledger", int? maxOutputTokens = null) =>
        new ChatOptions { ModelId = model, MaxOutputTokens = maxOutputTokens }.WithRouterKey(key);

    public Task<ChatResponse> AskAsync(string key, string model = "ledger", CancellationToken cancellationToken = default) =>
        Router.GetResponseAsync("Summarize the ledger.", As(key, model), cancellationToken);

    /// <summary>The status of one limit of a scope (the whole budget when <paramref name="model"/> is null).</summary>
    public async Task<BudgetStatus> StatusAsync(BudgetScope scope, string? name, string? model = null) =>
        Assert.Single(await Query.GetAsync(scope, name), s => s.Model == model);

    public ValueTask DisposeAsync() => Router.DisposeAsync();
}
