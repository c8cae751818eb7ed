using LlmRouter.Sqlite;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace LlmRouter.Bench;

/// <summary>
/// The router every measuring instrument runs: LlmRouter's whole <c>UseLlmRouter()</c> stack with each layer doing its
/// work on every call, in front of one provider. The same configuration serves the BenchmarkDotNet suite, the load
/// harness and the HTTP bench, so their numbers describe the same thing.
/// </summary>
/// <remarks>
/// <para>
/// Per call: the audit layer records the request (Buffered, into a SQLite file); the key policy resolves
/// <see cref="Key"/> and checks <see cref="Model"/> and its fallback target against the key's model pattern and
/// regions; the rate limiter takes a request and reserves tokens from the key's per-minute limits (set far above any
/// load, so it never refuses); the budget reserves the worst case on the key's budget (in memory) and settles the cost;
/// the fallback layer plans the alias's fallback chain (configured, not taken); the routing layer picks the deployment,
/// maps the alias to the provider's model and prices the attempt from the built-in catalog (gpt-4o-mini).
/// </para>
/// <para>
/// The SQLite audit store is registered alone. <c>AddSqliteStores</c> would move the budgets into the SQLite file too
/// (two write transactions per budgeted call, about 0.1 ms: see docs/benchmarks.md), and the issue measures the stack
/// with budgets in memory — as an application that audits to SQLite and keeps budgets per process configures it.
/// </para>
/// </remarks>
internal static class BenchStack
{
    /// <summary>The alias the callers ask for.</summary>
    public const string Model = "assistant";

    /// <summary>The alias <see cref="Model"/> falls back to; configured, never taken (the provider does not fail).</summary>
    public const string FallbackModel = "assistant-backup";

    /// <summary>The virtual key every call is made with.</summary>
    public const string Key = "client-eu";

    /// <summary>The provider's name in the configuration.</summary>
    public const string Provider = "provider";

    /// <summary>The provider's model: priced in the built-in catalog.</summary>
    public const string ProviderModel = "gpt-4o-mini";

    /// <summary>The output cap every request carries (so the budget and the rate limiter reserve a realistic worst case).</summary>
    public const int MaxOutputTokens = 200;

    /// <summary>The zero-latency Simulated provider: the bare client's settings, and the stack's provider.</summary>
    public static ProviderOptions Simulated() => new() { Kind = ProviderKind.Simulated, Region = "eu" };

    /// <summary>A provider whose client is registered in code (<c>"Kind": "Custom"</c>), such as an OpenAI SDK client.</summary>
    public static ProviderOptions Custom() => new() { Kind = ProviderKind.Custom, Region = "eu" };

    /// <summary>The prompt of every call: one short user message, as a chat turn usually is.</summary>
    public static ChatMessage[] Messages() => [new(ChatRole.User, "Summarize the ledger changes of this quarter for the client.")];

    /// <summary>The options of a call to the bare provider client: the provider's model and the same output cap.</summary>
    public static ChatOptions BareRequest() => new() { ModelId = ProviderModel, MaxOutputTokens = MaxOutputTokens };

    /// <summary>The options of a call through the router: the alias, the output cap and the caller's key.</summary>
    public static ChatOptions RouterRequest() => new ChatOptions { ModelId = Model, MaxOutputTokens = MaxOutputTokens }.WithRouterKey(Key);

    /// <summary>The router's options around one provider.</summary>
    /// <param name="provider">The provider's settings.</param>
    /// <param name="auditQueueCapacity">The audit queue's capacity; the library's default unless a measurement needs more room.</param>
    public static LlmRouterOptions Options(ProviderOptions provider, int auditQueueCapacity = AuditOptions.DefaultQueueCapacity)
    {
        var options = new LlmRouterOptions();
        options.Providers[Provider] = provider;
        options.Models[Model] = new ModelOptions
        {
            Deployments = [new DeploymentOptions { Provider = Provider, Model = ProviderModel }],
            Fallbacks = [FallbackModel],
        };
        options.Models[FallbackModel] = new ModelOptions { Deployments = [new DeploymentOptions { Provider = Provider, Model = ProviderModel }] };
        options.Keys[Key] = new KeyOptions
        {
            Models = ["assistant*"],
            Regions = ["eu"],
            RateLimit = new RateLimitOptions { RequestsPerMinute = int.MaxValue, TokensPerMinute = int.MaxValue },
            Budget = new BudgetOptions { Limit = 1_000_000_000m, Period = BudgetPeriod.Monthly },
        };
        options.Audit = new AuditOptions { Durability = AuditDurability.Buffered, QueueCapacity = auditQueueCapacity };
        return options;
    }

    /// <summary>Builds the whole stack in front of a provider, auditing into a SQLite file.</summary>
    /// <param name="provider">The provider's settings.</param>
    /// <param name="auditConnectionString">The SQLite audit file's connection string.</param>
    /// <param name="client">The provider's client when <paramref name="provider"/> is <see cref="ProviderKind.Custom"/>.</param>
    /// <param name="auditQueueCapacity">The audit queue's capacity.</param>
    public static LlmRouterClient Create(ProviderOptions provider, string auditConnectionString, IChatClient? client = null, int auditQueueCapacity = AuditOptions.DefaultQueueCapacity) =>
        LlmRouterClient.Create(Options(provider, auditQueueCapacity), router =>
        {
            router.Services.AddSingleton<IAuditStore>(_ => new SqliteAuditStore(auditConnectionString));
            if (client is not null)
            {
                router.AddProvider(Provider, client);
            }
        });
}
