using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace LlmRouter.Bench;

/// <summary>
/// The load harness: N concurrent callers for a fixed time, first against the bare zero-latency Simulated provider
/// (the baseline), then through LlmRouter's whole stack in front of the same provider, auditing every call into a
/// SQLite file (Buffered). Prints calls per second, p50/p99 latency of both and what the stack added at the same
/// percentile, bytes allocated per call and garbage collections; then disposes the router (which flushes the audit
/// writer) and checks that the file holds exactly one record per call made through the router and that its chains
/// verify. Docs: docs/benchmarks.md.
/// </summary>
/// <remarks>Exit codes: <see cref="BenchProgram"/>.</remarks>
internal static class Program
{
    private const string Usage =
        "usage: LlmRouter.LoadHarness [--callers 16] [--duration 10] [--warmup 2] [--stream] [--audit-file <path>] [--keep-audit] [--allocations]\n" +
        "  --callers     concurrent callers (default 16)\n" +
        "  --duration    seconds measured, for the bare client and again for the router (default 10)\n" +
        "  --warmup      seconds of calls before each measurement, not measured (default 2)\n" +
        "  --stream      streamed calls: also time to first token\n" +
        "  --audit-file  a new SQLite audit file, kept (default: a new file in the temp directory, deleted at the end)\n" +
        "  --keep-audit  keep the audit file\n" +
        "  --allocations sample the stack's measured run's allocations and print them by type";

    public static Task<int> Main(string[] args) => BenchProgram.RunAsync(args, Usage, Settings.Read, Settings.Title, RunAsync);

    private static async Task<int> RunAsync(Settings settings, TextWriter output)
    {
        (int callers, TimeSpan duration, TimeSpan warmup, bool stream, string? auditPath, bool keepAudit, bool allocations) = settings;
        ChatMessage[] messages = BenchStack.Messages();
        using IChatClient bareClient = new SimulatedChatClient(BenchStack.Simulated(), TimeProvider.System, BenchStack.Provider);
        LoadCall bareCall = Call(bareClient, messages, BenchStack.BareRequest(), stream);
        await WarmUpAsync(bareCall, callers, warmup);
        LoadResult bare = await LoadRun.RunAsync("bare Simulated client", bareCall, callers, duration, calls: 0);

        using var file = new AuditFile(auditPath, keep: keepAudit || auditPath is not null);
        LlmRouterClient router = BenchStack.Create(BenchStack.Simulated(), file.ConnectionString);
        AuditWriterStatistics audit = router.Services.GetRequiredService<AuditWriterStatistics>();
        using AllocationSampler? sampler = allocations ? new AllocationSampler() : null;
        LoadResult stack;
        long routerCalls;
        long writtenDuringRun;
        long queuedAfterRun;
        long waited;
        TimeSpan disposal;
        try
        {
            LoadCall routerCall = Call(router, messages, BenchStack.RouterRequest(), stream);
            routerCalls = await WarmUpAsync(routerCall, callers, warmup);
            await AuditQueue.DrainAsync(audit);
            long writtenBefore = audit.Written;
            long waitedBefore = audit.Waited;
            sampler?.Start();
            stack = await LoadRun.RunAsync("LlmRouter stack", routerCall, callers, duration, calls: 0);
            sampler?.Stop();
            writtenDuringRun = audit.Written - writtenBefore;
            waited = audit.Waited - waitedBefore;
            queuedAfterRun = audit.Queued;
            routerCalls += stack.Calls;
        }
        finally
        {
            long disposing = Stopwatch.GetTimestamp();
            await router.DisposeAsync();
            disposal = Stopwatch.GetElapsedTime(disposing);
        }

        output.WriteLine();
        LoadReport.Header(output);
        LoadReport.Write(output, bare);
        LoadReport.Write(output, stack);
        LoadReport.Difference(output, "added by LlmRouter", bare, stack);
        output.WriteLine();
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"audit writer during the measured run: {writtenDuringRun:N0} records written ({writtenDuringRun / stack.Elapsed.TotalSeconds:N0}/s), {waited:N0} calls waited for room in the queue ({AuditOptions.DefaultQueueCapacity:N0} records), {queuedAfterRun:N0} still queued at its end, written when the router was disposed ({LoadReport.Time(disposal.TotalNanoseconds)})"));
        if (sampler is not null)
        {
            output.WriteLine();
            sampler.Write(output, stack.AllocatedPerCall);
        }

        bool complete = await AuditCompleteness.CheckAsync(file.ConnectionString, routerCalls, output);
        return complete ? BenchProgram.Complete : BenchProgram.Incomplete;
    }

    private static LoadCall Call(IChatClient client, ChatMessage[] messages, ChatOptions options, bool stream) =>
        stream ? LoadCalls.Streamed(client, messages, options) : LoadCalls.Complete(client, messages, options);

    /// <summary>Calls without measuring, so that the code is compiled at its final tier and pools are filled; returns the calls made.</summary>
    private static async Task<long> WarmUpAsync(LoadCall call, int callers, TimeSpan warmup) =>
        warmup > TimeSpan.Zero ? (await LoadRun.RunAsync("warm-up", call, callers, warmup, calls: 0)).Calls : 0;

    private sealed record Settings(int Callers, TimeSpan Duration, TimeSpan Warmup, bool Stream, string? AuditPath, bool KeepAudit, bool Allocations)
    {
        public static Settings Read(CommandLine line)
        {
            var settings = new Settings(
                (int)Math.Clamp(line.Count("--callers", 16), 1, 4096),
                line.Seconds("--duration", 10),
                line.Seconds("--warmup", 2),
                line.Flag("--stream"),
                line.NewFile("--audit-file"),
                line.Flag("--keep-audit"),
                line.Flag("--allocations"));
            return settings.Duration > TimeSpan.Zero ? settings : throw new FormatException("--duration must be more than zero.");
        }

        public static string Title(Settings settings) => string.Create(
            CultureInfo.InvariantCulture,
            $"LlmRouter load harness: {settings.Callers} callers, {settings.Duration.TotalSeconds:0.###} s measured after {settings.Warmup.TotalSeconds:0.###} s of warm-up, {(settings.Stream ? "streamed" : "non-streamed")} calls, zero-latency Simulated provider");
    }
}
