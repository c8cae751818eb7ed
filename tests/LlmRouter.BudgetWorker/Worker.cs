using System.Globalization;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace LlmRouter.BudgetWorker;

/// <summary>
/// Runs requests under the key <c>worker</c>, whose total budget is <c>--limit</c> USD, kept in the store named by
/// <c>--store</c> (<c>sqlite</c> or <c>postgres</c>) at <c>--connection</c>. Each call the budget admits takes
/// <c>--delay-ms</c> (50 by default) in the provider, so the workers' requests overlap.
/// </summary>
/// <remarks>
/// <para>
/// Two ways to run. By default, <c>--requests</c> requests start all at once — every one in flight before the first
/// is sent — and each is made once. With <c>--until-spent</c>, <c>--requests</c> callers start all at once and each
/// asks again and again until the budget refuses it with nothing else held: then committed spend alone leaves no room
/// for another request anywhere, and the run has served exactly what the limit allows.
/// </para>
/// <para>
/// Prices: by default a request's worst case is its cost, <see cref="RequestCost"/>. With <c>--input-priced</c> the
/// prompt is priced and the provider answers with less than the output cap, so a request reserves
/// <see cref="PricedWorstCase"/> and costs <see cref="PricedCost"/>.
/// </para>
/// <para>
/// Protocol on the standard streams: the worker prints <c>ready</c>, waits for a line on its input (so that several
/// workers start together), runs, and prints <c>served=N refused=N failed=N peak=N</c>, peak being the most requests
/// it had in flight at once. With <c>--hold</c> it sends one request whose provider never answers, prints
/// <c>holding</c> once the reservation is taken, and waits to be killed.
/// </para>
/// </remarks>
public static class Worker
{
    /// <summary>What one request costs, and reserves, by default: two output tokens at $500 per million.</summary>
    public const decimal RequestCost = 0.001m;

    /// <summary>
    /// What a request reserves with <c>--input-priced</c>: its prompt bound (4 tokens of message framing, 3 to prime the
    /// reply, one per UTF-8 byte of <see cref="Prompt"/>: 28) at $10 per million, plus its output cap of 3 tokens at
    /// $500 per million.
    /// </summary>
    public const decimal PricedWorstCase = ((28 * 10m) + (3 * 500m)) / 1_000_000m;

    /// <summary>What a request costs with <c>--input-priced</c>: the 10 prompt tokens the provider reports at $10 per million, and 2 output tokens at $500 per million.</summary>
    public const decimal PricedCost = ((10 * 10m) + (2 * 500m)) / 1_000_000m;

    public const string Key = "worker";

    public const string Prompt = "Summarize the ledger.";

    public static async Task<int> RunAsync(string[] args)
    {
        Dictionary<string, string> options = Parse(args);
        string store = options["store"];
        string connection = options["connection"];
        decimal limit = decimal.Parse(options["limit"], CultureInfo.InvariantCulture);
        bool hold = options.ContainsKey("hold");
        bool priced = options.ContainsKey("input-priced");
        var provider = new DelayedChatClient(hold ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(int.Parse(options.GetValueOrDefault("delay-ms", "50"), CultureInfo.InvariantCulture)));

        await using LlmRouterClient router = LlmRouterClient.Create(Options(limit, priced), builder =>
        {
            builder.AddProvider("metered", provider);
            if (store == "sqlite")
            {
                builder.AddSqliteStores(connection);
            }
            else
            {
                builder.AddPostgresStores(connection);
            }
        });

        // The store's schema and connections are set up before the start line, so workers start on equal terms.
        _ = await router.Services.GetRequiredService<IBudgetQuery>().GetForKeyAsync(Key);
        Console.WriteLine("ready");
        _ = await Console.In.ReadLineAsync();
        if (hold)
        {
            Task<ChatResponse> held = AskAsync(router);
            await provider.Entered.Task;
            Console.WriteLine("holding");
            await held;
            return 1;
        }

        var run = new Run(router, options.ContainsKey("until-spent"));
        int requests = int.Parse(options["requests"], CultureInfo.InvariantCulture);
        Task[] callers = [.. Enumerable.Range(0, requests).Select(_ => Task.Run(run.CallAsync))];
        await run.StartWhenInFlightAsync(requests);
        await Task.WhenAll(callers);
        Console.WriteLine($"served={run.Served} refused={run.Refused} failed={run.Failed} peak={run.Peak}");
        return 0;
    }

    private static Task<ChatResponse> AskAsync(IChatClient router) =>
        router.GetResponseAsync(Prompt, new ChatOptions { ModelId = "ledger" }.WithRouterKey(Key));

    private static LlmRouterOptions Options(decimal limit, bool priced)
    {
        var options = new LlmRouterOptions();
        options.Providers["metered"] = new ProviderOptions { Kind = ProviderKind.Custom, Region = "ch" };
        options.Models["ledger"] = new ModelOptions { Deployments = [new DeploymentOptions { Provider = "metered", Model = "ledger-small" }] };
        options.Prices["ledger-small"] = priced
            ? new ModelPriceOptions { InputPerMillion = 10, OutputPerMillion = 500, MaxOutputTokens = 3 }
            : new ModelPriceOptions { InputPerMillion = 0, OutputPerMillion = 500, MaxOutputTokens = 2 };
        options.Keys[Key] = new KeyOptions { Models = ["*"], Regions = ["*"], Budget = new BudgetOptions { Limit = limit, Period = BudgetPeriod.Total } };
        return options;
    }

    private static Dictionary<string, string> Parse(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < args.Length; i++)
        {
            string name = args[i].TrimStart('-');
            options[name] = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : string.Empty;
        }

        return options;
    }

    /// <summary>The callers of one run: they wait until every one is in flight, then ask together.</summary>
    private sealed class Run(IChatClient router, bool untilSpent)
    {
        private readonly TaskCompletionSource _start = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _inFlight;
        private int _peak;
        private int _served;
        private int _refused;
        private int _failed;

        public int Served => Volatile.Read(ref _served);

        public int Refused => Volatile.Read(ref _refused);

        public int Failed => Volatile.Read(ref _failed);

        public int Peak => Volatile.Read(ref _peak);

        public async Task StartWhenInFlightAsync(int callers)
        {
            while (Volatile.Read(ref _inFlight) < callers)
            {
                await Task.Delay(1);
            }

            _start.SetResult();
        }

        public async Task CallAsync()
        {
            int inFlight = Interlocked.Increment(ref _inFlight);
            InterlockedMax(ref _peak, inFlight);
            try
            {
                await _start.Task;
                while (true)
                {
                    try
                    {
                        await AskAsync(router);
                        Interlocked.Increment(ref _served);
                        if (!untilSpent)
                        {
                            return;
                        }
                    }
                    catch (BudgetExceededException refusal)
                    {
                        Interlocked.Increment(ref _refused);
                        if (!untilSpent || refusal.Reserved == 0m)
                        {
                            return; // nothing else holds budget: committed spend alone leaves no room
                        }

                        // Others' reservations fill the room for now; they settle at less than they hold.
                        await Task.Delay(Random.Shared.Next(5, 20));
                    }
                }
            }
            catch (Exception ex)
            {
                Interlocked.Increment(ref _failed);
                await Console.Error.WriteLineAsync(ex.ToString());
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }

        private static void InterlockedMax(ref int target, int value)
        {
            int current = Volatile.Read(ref target);
            while (value > current && Interlocked.CompareExchange(ref target, value, current) is int seen && seen != current)
            {
                current = seen;
            }
        }
    }

    /// <summary>A provider that answers after a delay with ten prompt tokens and two output tokens, or never (the delay is infinite).</summary>
    private sealed class DelayedChatClient(TimeSpan delay) : IChatClient
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            Entered.TrySetResult();
            await Task.Delay(delay, cancellationToken);
            return new ChatResponse(new ChatMessage(ChatRole.Assistant, "ok")) { Usage = new UsageDetails { InputTokenCount = 10, OutputTokenCount = 2 } };
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
