using BenchmarkDotNet.Attributes;
using LlmRouter.Bench;
using Microsoft.Extensions.AI;

namespace LlmRouter.Benchmarks;

/// <summary>
/// Each of LlmRouter's layers alone over the bare Simulated provider (zero latency), non-streamed, in the same run as
/// the bare provider, so that a regression in <see cref="RouterStackBenchmarks"/> can be pinned on its layer. Every
/// pipeline is built with <c>new ChatClientBuilder(bare).UseXxx()</c> on the services of <see cref="BenchStack"/>'s router
/// and called with its key and alias.
/// </summary>
/// <remarks>
/// <para>
/// The outermost LlmRouter layer of a pipeline owns the request: it creates the request's route and its copy of the
/// options, times the call and attaches the route to the response — work the whole stack does once, which every row
/// below therefore includes. Some layers act only on what another layer resolved; those rows say so, and the rows that
/// pair a layer with what it needs measure its work (subtract the row without it):
/// </para>
/// <list type="bullet">
/// <item><b>rate limiting</b> limits the key the key policy resolved: alone it limits nothing; compare
/// "key policy + rate limiting" with "key policy".</item>
/// <item><b>budgets</b> apply to the key the key policy resolved, and reserve at the gate the routing layer calls before
/// each attempt: alone nothing applies; compare "key policy + budgets + routing" with "key policy + routing".</item>
/// <item><b>key policy</b> resolves the key and checks the alias against its patterns; its region check is a gate the
/// routing layer calls, so "key policy + routing" minus "routing" is its whole cost.</item>
/// <item><b>fallback</b> works alone: it resolves the alias, plans its fallback chain and checks that a deployment is
/// available; without the routing layer the inner client gets the alias rather than the provider's model id.</item>
/// <item><b>routing</b> works alone: it picks the deployment, calls the inner client (here the bare provider) with the
/// provider's model id, records the attempt and prices it.</item>
/// <item><b>audit</b> alone is audit-only mode (<c>UseLlmRouterAudit()</c> on a client LlmRouter does not route): it
/// observes the call and queues one record into the SQLite file. Iterations are a fixed number of calls with the audit
/// queue flushed between them (see <see cref="AuditedStackBenchmarks"/>), as for every row.</item>
/// </list>
/// </remarks>
public class LayerBenchmarks : AuditedStackBenchmarks
{
    private IChatClient _audit = null!;
    private IChatClient _keyPolicy = null!;
    private IChatClient _rateLimiting = null!;
    private IChatClient _keyPolicyRateLimiting = null!;
    private IChatClient _budgets = null!;
    private IChatClient _fallback = null!;
    private IChatClient _routing = null!;
    private IChatClient _keyPolicyRouting = null!;
    private IChatClient _keyPolicyBudgetsRouting = null!;

    protected override void OnSetup()
    {
        IServiceProvider services = Router.Services;
        _audit = new ChatClientBuilder(BareClient).UseLlmRouterAudit().Build(services);
        _keyPolicy = new ChatClientBuilder(BareClient).UseKeyPolicy().Build(services);
        _rateLimiting = new ChatClientBuilder(BareClient).UseRateLimiting().Build(services);
        _keyPolicyRateLimiting = new ChatClientBuilder(BareClient).UseKeyPolicy().UseRateLimiting().Build(services);
        _budgets = new ChatClientBuilder(BareClient).UseBudgets().Build(services);
        _fallback = new ChatClientBuilder(BareClient).UseFallback().Build(services);
        _routing = new ChatClientBuilder(BareClient).UseModelRouting().Build(services);
        _keyPolicyRouting = new ChatClientBuilder(BareClient).UseKeyPolicy().UseModelRouting().Build(services);
        _keyPolicyBudgetsRouting = new ChatClientBuilder(BareClient).UseKeyPolicy().UseBudgets().UseModelRouting().Build(services);
    }

    [Benchmark(Baseline = true, Description = "bare Simulated client")]
    public Task<ChatResponse> Bare() => BareClient.GetResponseAsync(Messages, BareOptions);

    [Benchmark(Description = "audit (audit-only mode), SQLite")]
    public Task<ChatResponse> Audit() => _audit.GetResponseAsync(Messages, RouterOptions);

    [Benchmark(Description = "key policy")]
    public Task<ChatResponse> KeyPolicy() => _keyPolicy.GetResponseAsync(Messages, RouterOptions);

    /// <summary>Alone, no key is resolved, so nothing is limited: the cost of owning the request.</summary>
    [Benchmark(Description = "rate limiting (alone: no key, no limit)")]
    public Task<ChatResponse> RateLimiting() => _rateLimiting.GetResponseAsync(Messages, RouterOptions);

    [Benchmark(Description = "key policy + rate limiting")]
    public Task<ChatResponse> KeyPolicyRateLimiting() => _keyPolicyRateLimiting.GetResponseAsync(Messages, RouterOptions);

    /// <summary>Alone, no key is resolved and no keyless budget is configured, so the call passes straight through.</summary>
    [Benchmark(Description = "budgets (alone: no key, no budget)")]
    public Task<ChatResponse> Budgets() => _budgets.GetResponseAsync(Messages, RouterOptions);

    [Benchmark(Description = "fallback")]
    public Task<ChatResponse> Fallback() => _fallback.GetResponseAsync(Messages, RouterOptions);

    [Benchmark(Description = "routing")]
    public Task<ChatResponse> Routing() => _routing.GetResponseAsync(Messages, RouterOptions);

    [Benchmark(Description = "key policy + routing")]
    public Task<ChatResponse> KeyPolicyRouting() => _keyPolicyRouting.GetResponseAsync(Messages, RouterOptions);

    [Benchmark(Description = "key policy + budgets + routing")]
    public Task<ChatResponse> KeyPolicyBudgetsRouting() => _keyPolicyBudgetsRouting.GetResponseAsync(Messages, RouterOptions);
}
