using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace LlmRouter.Benchmarks;

/// <summary>
/// The router's overhead on a non-streamed call: the bare Simulated provider (zero latency) against the same provider
/// behind LlmRouter's pipeline, in the same run, so the result reads as a ratio and a difference in nanoseconds and bytes.
/// The pipeline runs under a key without a budget (the budget layer passes the request straight through) and under a
/// key with one (a reservation and a settlement in the in-memory store).
/// </summary>
[MemoryDiagnoser]
public class RouterStackBenchmarks
{
    private readonly ChatMessage[] _messages = [new(ChatRole.User, "Summarize the ledger changes of this quarter for the client.")];
    private readonly ChatOptions _options = new() { ModelId = "chat", MaxOutputTokens = 200 };
    private ChatOptions _budgeted = null!;
    private IChatClient _bare = null!;
    private IChatClient _router = null!;
    private ServiceProvider _services = null!;

    [GlobalSetup]
    public void Setup()
    {
        var provider = new ProviderOptions { Kind = ProviderKind.Simulated, Region = "eu", OutputTokens = 24 };
        _bare = new SimulatedChatClient(provider, TimeProvider.System, "local");
        var services = new ServiceCollection();
        services.AddLlmRouter(o =>
        {
            o.Providers["local"] = provider;
            o.Models["chat"] = new ModelOptions { Deployments = [new DeploymentOptions { Provider = "local", Model = "gpt-4o-mini" }] };
            o.Keys["anyone"] = new KeyOptions { Models = ["*"], Regions = ["*"] };
            o.Keys["budgeted"] = new KeyOptions { Models = ["*"], Regions = ["*"], Budget = new BudgetOptions { Limit = 1_000_000_000m } };
            o.AnonymousKey = "anyone";
        });
        _services = services.BuildServiceProvider();
        _router = _services.GetRequiredService<IChatClient>();
        _budgeted = new ChatOptions { ModelId = "chat", MaxOutputTokens = 200 }.WithRouterKey("budgeted");
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    [Benchmark(Baseline = true, Description = "bare Simulated client")]
    public Task<ChatResponse> Bare() => _bare.GetResponseAsync(_messages, _options);

    [Benchmark(Description = "UseLlmRouter() stack")]
    public Task<ChatResponse> Router() => _router.GetResponseAsync(_messages, _options);

    [Benchmark(Description = "UseLlmRouter() stack, key with a budget")]
    public Task<ChatResponse> Budgeted() => _router.GetResponseAsync(_messages, _budgeted);
}
