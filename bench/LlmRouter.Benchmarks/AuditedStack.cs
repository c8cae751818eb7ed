using LlmRouter.Bench;
using Microsoft.Extensions.DependencyInjection;

namespace LlmRouter.Benchmarks;

/// <summary>
/// The whole <c>UseLlmRouter()</c> stack of <see cref="BenchStack"/> over the zero-latency Simulated provider, auditing
/// into a SQLite file in the temp directory (Buffered), for the benchmarks that time single calls through it.
/// </summary>
/// <remarks>
/// The audit writer persists records on a background task at its own pace (about 100,000 rows/s into SQLite when it
/// has a core to itself: <see cref="AuditStoreBenchmarks"/>). A benchmark loop makes calls faster than that, so with the
/// default queue (10,000 records) it would soon measure the writer — calls waiting for room — rather than the call.
/// Benchmarks that use this stack therefore run a fixed <see cref="CallsPerIteration"/> calls per iteration into a
/// queue with room for all of them, and <see cref="Flush"/> between iterations, untimed. The writer still works during
/// the iteration, on the other core, and its allocations count in BenchmarkDotNet's (process-wide) Allocated column.
/// The sustained rate with every record persisted is the load harness's to measure (docs/benchmarks.md).
/// </remarks>
internal sealed class AuditedStack : IDisposable
{
    /// <summary>The calls of one benchmark iteration: enough for a tenth of a second through the stack.</summary>
    public const int CallsPerIteration = 32_768;

    private readonly AuditFile _file = new();
    private readonly AuditWriter _writer;

    public AuditedStack()
    {
        Router = BenchStack.Create(BenchStack.Simulated(), _file.ConnectionString, auditQueueCapacity: 2 * CallsPerIteration);
        _writer = Router.Services.GetRequiredService<AuditWriter>();
    }

    /// <summary>Gets the stack.</summary>
    public LlmRouterClient Router { get; }

    /// <summary>Waits until every record queued so far is in the file.</summary>
    public void Flush() => _writer.FlushAsync().GetAwaiter().GetResult();

    public void Dispose()
    {
        Router.Dispose();
        _file.Dispose();
    }
}
