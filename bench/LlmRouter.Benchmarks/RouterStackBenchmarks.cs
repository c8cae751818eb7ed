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
/// Iterations are a fixed number of calls, with the audit queue flushed between them (see <see cref="AuditedStack"/>).
/// <see cref="LayerBenchmarks"/> splits the difference by layer.
/// </remarks>
[MemoryDiagnoser]
[InvocationCount(AuditedStack.CallsPerIteration)]
public class RouterStackBenchmarks
{
    private readonly ChatMessage[] _messages = BenchStack.Messages();
    private readonly ChatOptions _bareOptions = BenchStack.BareRequest();
    private readonly ChatOptions _routerOptions = BenchStack.RouterRequest();
    private IChatClient _bare = null!;
    private AuditedStack _stack = null!;

    [GlobalSetup]
    public void Setup()
    {
        _bare = new SimulatedChatClient(BenchStack.Simulated(), TimeProvider.System, BenchStack.Provider);
        _stack = new AuditedStack();
    }

    [IterationCleanup(Target = nameof(Stack))]
    public void Flush() => _stack.Flush();

    [GlobalCleanup]
    public void Cleanup()
    {
        _stack.Dispose();
        _bare.Dispose();
    }

    [Benchmark(Baseline = true, Description = "bare Simulated client")]
    public Task<ChatResponse> Bare() => _bare.GetResponseAsync(_messages, _bareOptions);

    [Benchmark(Description = "UseLlmRouter() stack, SQLite audit")]
    public Task<ChatResponse> Stack() => _stack.Router.GetResponseAsync(_messages, _routerOptions);
}
