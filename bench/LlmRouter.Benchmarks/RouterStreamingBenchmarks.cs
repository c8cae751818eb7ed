using BenchmarkDotNet.Attributes;
using LlmRouter.Bench;
using Microsoft.Extensions.AI;

namespace LlmRouter.Benchmarks;

/// <summary>
/// The router's overhead on a streamed call (24 updates of one word, then the finish with usage): the bare Simulated
/// provider (zero latency) against the same provider behind the whole <c>UseLlmRouter()</c> stack of
/// <see cref="BenchStack"/>, in the same run.
/// </summary>
/// <remarks>
/// <para>
/// <b>whole stream</b>: the call, every update read, the stream disposed — what a streamed call costs in all.
/// </para>
/// <para>
/// <b>first update</b>: the call, its first update read, then the stream disposed. BenchmarkDotNet times whole
/// invocations, so this includes abandoning the stream — for the stack, ending the route as cancelled and queuing its
/// audit record, the same end-of-request work a finished stream does. It is therefore an upper bound of the overhead
/// before the first update; the load harness (<c>--stream</c>) times the first update exactly.
/// </para>
/// <para>Iterations are a fixed number of calls, with the audit queue flushed between them (see <see cref="AuditedStackBenchmarks"/>).</para>
/// </remarks>
public class RouterStreamingBenchmarks : AuditedStackBenchmarks
{
    [Params("first update", "whole stream")]
    public string Read { get; set; } = "first update";

    [Benchmark(Baseline = true, Description = "bare Simulated client")]
    public ValueTask<int> Bare() => ReadAsync(BareClient, BareOptions);

    [Benchmark(Description = "UseLlmRouter() stack, SQLite audit")]
    public ValueTask<int> Stack() => ReadAsync(Router, RouterOptions);

    private async ValueTask<int> ReadAsync(IChatClient client, ChatOptions options)
    {
        int updates = 0;
        await using IAsyncEnumerator<ChatResponseUpdate> stream = client.GetStreamingResponseAsync(Messages, options).GetAsyncEnumerator();
        bool whole = Read == "whole stream";
        while (await stream.MoveNextAsync())
        {
            updates++;
            if (!whole)
            {
                break;
            }
        }

        return updates;
    }
}
