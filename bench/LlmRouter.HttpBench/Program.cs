using System.ClientModel;
using System.ClientModel.Primitives;
using System.Globalization;
using System.Net.Sockets;
using LlmRouter.Tests.Support;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using OpenAI;

namespace LlmRouter.Bench;

/// <summary>
/// The end-to-end bench over HTTP, measured the way one measures a proxy: a loopback Kestrel server speaking OpenAI's
/// chat-completions wire format (JSON and server-sent events, no think time) is called (a) directly through the OpenAI
/// SDK's <see cref="IChatClient"/> and (b) through LlmRouter's whole stack wrapping that same client as its provider
/// (auditing into a SQLite file), at each concurrency, non-streamed and streamed. The two clients take turns in rounds
/// (direct, router, direct, router…), so that a change in the machine's state during a case (another process, the CPU's
/// clock, the scheduler's mood at one caller) weighs on both alike. Prints p50/p99 latency (and time to
/// first token), calls per second and the differences; then checks that the audit file holds one record per call made
/// through the router. Docs: docs/benchmarks.md.
/// </summary>
/// <remarks>
/// The client's connection pool is not a limit: the handler allows any number of connections to the server (HTTP/1.1
/// carries one request at a time per connection, so N concurrent calls need N connections), and Kestrel's default
/// allows any number of connections. The bench counts the connections it opened and prints them. Exit codes:
/// <see cref="BenchProgram"/>.
/// </remarks>
internal static class Program
{
    private const string Usage =
        "usage: LlmRouter.HttpBench [--calls 5000] [--warmup-calls 500] [--rounds 10] [--concurrency 1,16] [--audit-file <path>] [--keep-audit]\n" +
        "  --calls         measured calls per case and client (default 5000)\n" +
        "  --warmup-calls  calls before each measurement, not measured (default 500)\n" +
        "  --rounds        the measured calls are made in this many rounds, direct and through the router in turn (default 10)\n" +
        "  --concurrency   the concurrent callers of each case, comma-separated (default 1,16)\n" +
        "  --audit-file    a new SQLite audit file, kept (default: a new file in the temp directory, deleted at the end)\n" +
        "  --keep-audit    keep the audit file";

    /// <summary>The answer the server sends: 24 words, as the Simulated provider's, and its usage.</summary>
    private const string Answer = "the router sends each request to a model that this key may use and records what it cost so every client gets one answer";

    public static Task<int> Main(string[] args) => BenchProgram.RunAsync(args, Usage, Settings.Read, Settings.Title, RunAsync);

    private static async Task<int> RunAsync(Settings settings, TextWriter output)
    {
        (long calls, long warmupCalls, int rounds, int[] concurrency, string? auditPath, bool keepAudit) = settings;
        await using OpenAIWireServer server = await OpenAIWireServer.StartAsync();
        server.RespondWith(WireBehavior.Reply(Answer, new WireUsage(PromptTokens: 20, CompletionTokens: 24)));

        var connections = new ConnectionCounter();
        using var http = new HttpClient(connections.Handler());
        var openAI = new OpenAIClient(new ApiKeyCredential("sk-bench-not-a-secret"), new OpenAIClientOptions { Endpoint = server.Endpoint, Transport = new HttpClientPipelineTransport(http) });
        IChatClient direct = openAI.GetChatClient(BenchStack.ProviderModel).AsIChatClient();

        using var file = new AuditFile(auditPath, keep: keepAudit || auditPath is not null);
        LlmRouterClient router = BenchStack.Create(BenchStack.Custom(), file.ConnectionString, direct);
        AuditWriterStatistics audit = router.Services.GetRequiredService<AuditWriterStatistics>();
        long routerCalls = 0;
        try
        {
            ChatMessage[] messages = BenchStack.Messages();
            ChatOptions directOptions = BenchStack.BareRequest();
            ChatOptions routerOptions = BenchStack.RouterRequest();
            foreach (bool stream in new[] { false, true })
            {
                foreach (int callers in concurrency)
                {
                    output.WriteLine();
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"concurrency {callers}, {(stream ? "streamed (1st = time to first token; the other latencies are the whole stream's)" : "non-streamed")}"));
                    LoadCall directCall = stream ? LoadCalls.Streamed(direct, messages, directOptions) : LoadCalls.Complete(direct, messages, directOptions);
                    LoadCall routerCall = stream ? LoadCalls.Streamed(router, messages, routerOptions) : LoadCalls.Complete(router, messages, routerOptions);
                    await WarmUpAsync(directCall, callers, warmupCalls);
                    routerCalls += await WarmUpAsync(routerCall, callers, warmupCalls);
                    var bareRounds = new List<LoadResult>(rounds);
                    var routedRounds = new List<LoadResult>(rounds);
                    for (int round = 0; round < rounds; round++)
                    {
                        long roundCalls = (calls / rounds) + (round < calls % rounds ? 1 : 0);
                        await AuditQueue.DrainAsync(audit);
                        bareRounds.Add(await LoadRun.RunAsync("OpenAI SDK, direct", directCall, callers, TimeSpan.Zero, roundCalls));
                        await AuditQueue.DrainAsync(audit);
                        LoadResult routedRound = await LoadRun.RunAsync("OpenAI SDK through LlmRouter", routerCall, callers, TimeSpan.Zero, roundCalls);
                        routedRounds.Add(routedRound);
                        routerCalls += routedRound.Calls;
                    }

                    LoadResult bare = LoadResult.Combine(bareRounds);
                    LoadResult routed = LoadResult.Combine(routedRounds);
                    LoadReport.Header(output);
                    LoadReport.Write(output, bare);
                    LoadReport.Write(output, routed);
                    LoadReport.Difference(output, "added by LlmRouter", bare, routed);
                }
            }
        }
        finally
        {
            await router.DisposeAsync();
        }

        output.WriteLine();
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"HTTP connections opened: {connections.Opened}, for a largest concurrency of {concurrency.Max()} (the pool reuses them across cases); {server.RequestCount:N0} requests served"));
        bool complete = await AuditCompleteness.CheckAsync(file.ConnectionString, routerCalls, output);
        return complete ? BenchProgram.Complete : BenchProgram.Incomplete;
    }

    private static async Task<long> WarmUpAsync(LoadCall call, int callers, long warmupCalls) =>
        warmupCalls > 0 ? (await LoadRun.RunAsync("warm-up", call, callers, TimeSpan.Zero, warmupCalls)).Calls : 0;

    private sealed record Settings(long Calls, long WarmupCalls, int Rounds, int[] Concurrency, string? AuditPath, bool KeepAudit)
    {
        public static Settings Read(CommandLine line)
        {
            var settings = new Settings(
                line.Count("--calls", 5000),
                line.Count("--warmup-calls", 500),
                (int)line.Count("--rounds", 10),
                line.Counts("--concurrency", [1, 16]),
                line.NewFile("--audit-file"),
                line.Flag("--keep-audit"));
            return settings.Calls <= 0 ? throw new FormatException("--calls must be more than zero.")
                : settings.Rounds <= 0 || settings.Rounds > settings.Calls ? throw new FormatException("--rounds must be more than zero and at most --calls.")
                : settings;
        }

        public static string Title(Settings settings) => string.Create(
            CultureInfo.InvariantCulture,
            $"LlmRouter HTTP bench: loopback OpenAI wire server, OpenAI SDK client direct vs through LlmRouter, {settings.Calls:N0} measured calls per case and client in {settings.Rounds:N0} alternating rounds after {settings.WarmupCalls:N0} of warm-up, concurrency {string.Join(", ", settings.Concurrency)}");
    }

    /// <summary>The client's connections to the server: as many as the concurrent calls need, each counted when opened.</summary>
    private sealed class ConnectionCounter
    {
        private int _opened;

        public int Opened => Volatile.Read(ref _opened);

        public SocketsHttpHandler Handler() => new()
        {
            // One request at a time per HTTP/1.1 connection: N concurrent calls need N connections, and nothing caps them.
            MaxConnectionsPerServer = int.MaxValue,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            UseProxy = false,
            ConnectCallback = async (context, cancellationToken) =>
            {
                Interlocked.Increment(ref _opened);
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
    }
}
