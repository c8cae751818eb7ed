using System.Globalization;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace LlmRouter.BudgetWorker;

/// <summary>
/// Runs <c>--requests</c> requests, <c>--concurrency</c> at a time, under the key <c>worker</c>, whose total budget is
/// <c>--limit</c> USD, kept in the store named by <c>--store</c> (<c>sqlite</c> or <c>postgres</c>) at <c>--connection</c>;
/// each call takes <c>--delay-ms</c> (50 by default), so the workers' requests overlap.
/// Each request costs exactly <see cref="RequestCost"/> and its worst case is the same, so "what the limit allows" is exact.
/// </summary>
/// <remarks>
/// Protocol on the standard streams: the worker prints <c>ready</c>, waits for a line on its input (so that several
/// workers start together), runs, and prints <c>served=N refused=N failed=N</c>. With <c>--hold</c> it sends one request
/// whose provider never answers, prints <c>holding</c> once the reservation is taken, and waits to be killed.
/// </remarks>
public static class Worker
{
    /// <summary>What one request costs, and reserves: two output tokens at $500 per million.</summary>
    public const decimal RequestCost = 0.001m;

    public const string Key = "worker";

    public static async Task<int> RunAsync(string[] args)
    {
        Dictionary<string, string> options = Parse(args);
        string store = options["store"];
        string connection = options["connection"];
        decimal limit = decimal.Parse(options["limit"], CultureInfo.InvariantCulture);
        bool hold = options.ContainsKey("hold");
        var provider = new DelayedChatClient(hold ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(int.Parse(options.GetValueOrDefault("delay-ms", "50"), CultureInfo.InvariantCulture)));

        await using LlmRouterClient router = LlmRouterClient.Create(Options(limit), builder =>
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

        int requests = int.Parse(options["requests"], CultureInfo.InvariantCulture);
        using var slots = new SemaphoreSlim(int.Parse(options["concurrency"], CultureInfo.InvariantCulture));
        int served = 0, refused = 0, failed = 0;
        Task[] calls = [.. Enumerable.Range(0, requests).Select(async _ =>
        {
            await slots.WaitAsync();
            try
            {
                await AskAsync(router);
                Interlocked.Increment(ref served);
            }
            catch (BudgetExceededException)
            {
                Interlocked.Increment(ref refused);
            }
            catch (Exception ex)
            {
                Interlocked.Increment(ref failed);
                await Console.Error.WriteLineAsync(ex.ToString());
            }
            finally
            {
                slots.Release();
            }
        })];
        await Task.WhenAll(calls);
        Console.WriteLine($"served={served} refused={refused} failed={failed}");
        return 0;
    }

    private static Task<ChatResponse> AskAsync(IChatClient router) =>
        router.GetResponseAsync("Summarize the ledger.", new ChatOptions { ModelId = "ledger" }.WithRouterKey(Key));

    private static LlmRouterOptions Options(decimal limit)
    {
        var options = new LlmRouterOptions();
        options.Providers["metered"] = new ProviderOptions { Kind = ProviderKind.Custom, Region = "ch" };
        options.Models["ledger"] = new ModelOptions { Deployments = [new DeploymentOptions { Provider = "metered", Model = "ledger-small" }] };
        options.Prices["ledger-small"] = new ModelPriceOptions { InputPerMillion = 0, OutputPerMillion = 500, MaxOutputTokens = 2 };
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

    /// <summary>A provider that answers after a delay with two output tokens, or never (the delay is infinite).</summary>
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
