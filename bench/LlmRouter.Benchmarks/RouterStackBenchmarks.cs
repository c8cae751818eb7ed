using BenchmarkDotNet.Attributes;
using LlmRouter.Bench;
using Microsoft.Extensions.AI;

namespace LlmRouter.Benchmarks;

/// <summary>
/// The router's overhead on a non-streamed call: the bare Simulated provider (zero latency) against the same provider
/// behind LlmRouter's whole <c>UseLlmRouter()</c> stack (<see cref="BenchStack"/>: key policy with model patterns and
/// regions, rate limits, an in-memory key budget, a configured fallback, routing, pricing, Buffered SQLite audit), in
/// the same run, so the result reads as a ratio and a difference in nanoseconds and bytes.
/// </summary>
/// <remarks>
/// Iterations are a fixed number of calls, with the audit queue flushed between them (see <see cref="AuditedStackBenchmarks"/>).
/// <see cref="LayerBenchmarks"/> splits the difference by layer.
/// </remarks>
public class RouterStackBenchmarks : AuditedStackBenchmarks
{
    [Benchmark(Baseline = true, Description = "bare Simulated client")]
    public Task<ChatResponse> Bare() => BareClient.GetResponseAsync(Messages, BareOptions);

    [Benchmark(Description = "UseLlmRouter() stack, SQLite audit")]
    public Task<ChatResponse> Stack() => Router.GetResponseAsync(Messages, RouterOptions);
}
