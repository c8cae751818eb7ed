using BenchmarkDotNet.Attributes;
using LlmRouter.Bench;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace LlmRouter.Benchmarks;

/// <summary>
/// What the benchmarks that time single calls through LlmRouter share: the bare zero-latency Simulated client (their
/// baseline) and the whole <c>UseLlmRouter()</c> stack of <see cref="BenchStack"/> over the same provider, auditing into
/// a SQLite file in the temp directory (Buffered), with the same prompt and output cap for both.
/// </summary>
/// <remarks>
/// The audit writer persists records on a background task at its own pace (about 100,000 rows/s into SQLite when it
/// has a core to itself: <see cref="AuditStoreBenchmarks"/>). A benchmark loop makes calls faster than that, so with the
/// default queue (10,000 records) it would soon measure the writer — calls waiting for room — rather than the call.
/// Every iteration is therefore a fixed <see cref="CallsPerIteration"/> calls into a queue with room for all of them,
/// and the queue is flushed between iterations, untimed. The writer still works during the iteration, on the other
/// core, and its allocations count in BenchmarkDotNet's (process-wide) Allocated column. The sustained rate with every
/// record persisted is the load harness's to measure (docs/benchmarks.md).
/// </remarks>
[MemoryDiagnoser]
[InvocationCount(CallsPerIteration)]
public abstract class AuditedStackBenchmarks
{
    /// <summary>The calls of one benchmark iteration: about a tenth of a second through the stack.</summary>
    public const int CallsPerIteration = 32_768;

    private AuditFile _file = null!;
    private AuditWriter _writer = null!;

    /// <summary>Gets the prompt of every call.</summary>
    protected ChatMessage[] Messages { get; } = BenchStack.Messages();

    /// <summary>Gets the options of a call to the bare client.</summary>
    protected ChatOptions BareOptions { get; } = BenchStack.BareRequest();

    /// <summary>Gets the options of a call through LlmRouter: the alias and the key.</summary>
    protected ChatOptions RouterOptions { get; } = BenchStack.RouterRequest();

    /// <summary>Gets the bare Simulated client.</summary>
    protected IChatClient BareClient { get; private set; } = null!;

    /// <summary>Gets the whole stack.</summary>
    protected LlmRouterClient Router { get; private set; } = null!;

    [GlobalSetup]
    public void Setup()
    {
        _file = new AuditFile();
        BareClient = new SimulatedChatClient(BenchStack.Simulated(), TimeProvider.System, BenchStack.Provider);
        Router = BenchStack.Create(BenchStack.Simulated(), _file.ConnectionString, auditQueueCapacity: 2 * CallsPerIteration);
        _writer = Router.Services.GetRequiredService<AuditWriter>();
        OnSetup();
    }

    /// <summary>Waits, untimed, until every record queued during the iteration is in the file.</summary>
    [IterationCleanup]
    public void Flush() => _writer.FlushAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup()
    {
        Router.Dispose();
        BareClient.Dispose();
        _file.Dispose();
    }

    /// <summary>Builds what a derived class adds, once the clients exist.</summary>
    protected virtual void OnSetup()
    {
    }
}
