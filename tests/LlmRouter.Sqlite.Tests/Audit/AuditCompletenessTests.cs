using System.Collections.Concurrent;
using System.Net;
using LlmRouter.Tests.Support;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace LlmRouter.Sqlite.Tests.Audit;

/// <summary>
/// Every request is on record: 100,000 calls with every outcome LlmRouter has, under concurrency, through the whole
/// pipeline into a SQLite file — exactly one record each, under the very request id the caller was given, and the costs
/// in the store add up to the routes' and to the budget store's committed spend, to the last decimal.
/// </summary>
public sealed class AuditCompletenessTests : IDisposable
{
    private const int Calls = 100_000;

    private readonly SqliteAuditFile _file = new();

    public void Dispose() => _file.Dispose();

    /// <summary>
    /// The outcomes a request can have, with their share of the calls. Each makes one call and returns the route the
    /// caller was given: from the response, from the exception, or — for a stream it cancelled or stopped reading, which
    /// ends without either — from <c>OnRouteStarted</c>, as an application passes the request id on before a stream ends.
    /// </summary>
    private static readonly Outcome[] Outcomes =
    [
        new("served", 26, async chat => (await chat.GetResponseAsync("Summarize the ledger.", Ask("assistant"))).GetRouteInfo()!),
        new("served with a client key", 10, async chat => (await chat.GetResponseAsync("Summarize the ledger.", Ask("assistant").WithRouterKey("client-eu"))).GetRouteInfo()!),
        new("streamed", 14, async chat => (await chat.GetStreamingResponseAsync("Explain the VAT rules.", Ask("assistant")).ToChatResponseAsync()).GetRouteInfo()!),
        new("unknown model", 6, chat => RouteOf<UnknownModelException>(chat.GetResponseAsync("Hello", Ask("gpt-9")))),
        new("refused by the key's whitelist", 6, chat => RouteOf<ModelNotAllowedException>(chat.GetResponseAsync("Hello", Ask("flaky").WithRouterKey("client-eu")))),
        new("unknown key", 4, chat => RouteOf<UnknownKeyException>(chat.GetResponseAsync("Hello", Ask("assistant").WithRouterKey("nobody")))),
        new("refused by a budget", 6, chat => RouteOf<BudgetExceededException>(chat.GetResponseAsync("Hello", Ask("assistant").WithRouterKey("broke")))),
        new("rate limited", 6, RateLimitedAsync),
        new("failed after fallback", 8, chat => RouteOf<AllDeploymentsFailedException>(chat.GetResponseAsync("Hello", Ask("flaky")))),
        new("provider error", 4, chat => RouteOf<ProviderException>(chat.GetResponseAsync("Hello", Ask("locked")))),
        new("cancelled mid-stream", 9, CancelMidStreamAsync),
        new("abandoned stream", 7, AbandonStreamAsync),
    ];

    [Fact]
    public async Task Every_one_of_100000_mixed_concurrent_calls_has_exactly_one_record_and_the_costs_add_up_exactly()
    {
        var seen = new ConcurrentDictionary<Guid, RouteInfo>();
        int totalWeight = Outcomes.Sum(o => o.Weight);
        decimal committed;
        await using (LlmRouterClient router = CreateRouter())
        {
            await Parallel.ForAsync(0, Calls, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
            {
                RouteInfo route = await Pick(i, totalWeight).Call(router);
                Assert.True(seen.TryAdd(route.RequestId, route), "a request id given to two callers");
            });

            BudgetStatus global = Assert.Single(await router.Services.GetRequiredService<IBudgetQuery>().GetAsync(BudgetScope.Global));
            Assert.Equal(0m, global.Reserved);
            committed = global.Spent;
        }

        // The ids in the store are exactly the ids the callers were given: none missing, none extra, none twice.
        Assert.Equal(Calls, seen.Count);
        Assert.Equal(Calls, Convert.ToInt32(await _file.ScalarAsync("SELECT COUNT(*) FROM audit_records")));
        List<string> storedIds = await _file.ColumnAsync("SELECT id FROM audit_records");
        var stored = new HashSet<Guid>(storedIds.Select(Guid.Parse));
        Assert.Equal(Calls, stored.Count);
        Assert.True(stored.SetEquals(seen.Keys), $"{stored.Except(seen.Keys).Count()} stored id(s) no caller was given; {seen.Keys.Except(stored).Count()} given id(s) not stored");

        await using SqliteAuditStore store = _file.Store();
        var everything = new AuditSummaryRequest { From = DateTimeOffset.UnixEpoch, To = DateTimeOffset.UtcNow.AddDays(1), GroupBy = AuditGrouping.Status };
        IReadOnlyList<AuditSummaryRow> byStatus = await store.SummarizeAsync(everything);
        Assert.Equal(seen.Values.GroupBy(r => r.Status).OrderBy(g => g.Key).Select(g => (g.Key, (long)g.Count())), byStatus.Select(r => (r.Status!.Value, r.Requests)));
        Assert.Equal(
            seen.Values.GroupBy(r => r.ReasonCode ?? "-").OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}={g.Count()}"),
            (await _file.ColumnAsync("SELECT COALESCE(reason_code, '-') || '=' || COUNT(*) FROM audit_records GROUP BY reason_code")).Order(StringComparer.Ordinal));
        foreach (string reason in new[] { ReasonCodes.UnknownModel, ReasonCodes.ModelNotAllowed, ReasonCodes.UnknownKey, ReasonCodes.BudgetExceeded, ReasonCodes.RateLimited, ReasonCodes.AllDeploymentsFailed, ReasonCodes.ProviderError, ReasonCodes.Cancelled })
        {
            Assert.Contains(seen.Values, r => r.ReasonCode == reason);
        }

        decimal routesCost = seen.Values.Sum(r => r.Cost ?? 0m);
        decimal storedCost = byStatus.Sum(r => r.Cost);
        Assert.True(routesCost > 0);
        Assert.Equal(routesCost, storedCost);
        Assert.Equal(AuditText.Decimal(routesCost), AuditText.Decimal(storedCost));

        // Every request fits the global budget, so what it committed is what was spent: the same sum, to the last decimal.
        Assert.Equal(storedCost, committed);

        AuditVerification verification = await new AuditVerifier(store).VerifyAsync();
        Assert.True(verification.IsIntact, verification.ToString());
        Assert.Equal(Calls, verification.RecordsVerified);
    }

    private static Outcome Pick(int call, int totalWeight)
    {
        int slot = (int)((uint)(call * 2654435761u) % (uint)totalWeight);
        foreach (Outcome outcome in Outcomes)
        {
            if (slot < outcome.Weight)
            {
                return outcome;
            }

            slot -= outcome.Weight;
        }

        throw new InvalidOperationException("unreachable");
    }

    private static ChatOptions Ask(string model) => new() { ModelId = model };

    private static async Task<RouteInfo> RouteOf<TException>(Task call)
        where TException : LlmRouterException
    {
        TException refusal = await Assert.ThrowsAsync<TException>(() => call);
        return refusal.Route!;
    }

    /// <summary>A key allowed one request a minute: the first call is served, the rest are refused.</summary>
    private static async Task<RouteInfo> RateLimitedAsync(IChatClient chat)
    {
        try
        {
            return (await chat.GetResponseAsync("Hello", Ask("assistant").WithRouterKey("tiny"))).GetRouteInfo()!;
        }
        catch (RateLimitExceededException refusal)
        {
            return refusal.Route!;
        }
    }

    private static async Task<RouteInfo> CancelMidStreamAsync(IChatClient chat)
    {
        RouteInfo? started = null;
        using var cancel = new CancellationTokenSource();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (ChatResponseUpdate update in chat.GetStreamingResponseAsync("Draft a long reply.", Ask("assistant").OnRouteStarted(r => started = r), cancel.Token))
            {
                await cancel.CancelAsync();
            }
        });
        return started!;
    }

    private static async Task<RouteInfo> AbandonStreamAsync(IChatClient chat)
    {
        RouteInfo? started = null;
        await foreach (ChatResponseUpdate update in chat.GetStreamingResponseAsync("Draft a long reply.", Ask("assistant").OnRouteStarted(r => started = r)))
        {
            break;
        }

        return started!;
    }

    private LlmRouterClient CreateRouter()
    {
        var options = new LlmRouterOptions();
        options.Providers["eu"] = new ProviderOptions { Kind = ProviderKind.Custom, Region = "eu" };
        options.Providers["ch"] = new ProviderOptions { Kind = ProviderKind.Custom, Region = "ch" };
        options.Providers["down"] = new ProviderOptions { Kind = ProviderKind.Custom, Region = "eu" };
        options.Providers["down2"] = new ProviderOptions { Kind = ProviderKind.Custom, Region = "ch" };
        options.Providers["locked"] = new ProviderOptions { Kind = ProviderKind.Custom, Region = "us" };
        options.Models["assistant"] = new ModelOptions
        {
            Deployments = [new() { Provider = "eu", Model = "sim-large", PriceAs = "gpt-4o", Weight = 3 }, new() { Provider = "ch", Model = "sim-small", PriceAs = "gpt-4o-mini" }],
        };
        options.Models["flaky"] = new ModelOptions { Deployments = [new() { Provider = "down", Model = "sim", PriceAs = "gpt-4o" }], Fallbacks = ["flaky-ch"] };
        options.Models["flaky-ch"] = new ModelOptions { Deployments = [new() { Provider = "down2", Model = "sim", PriceAs = "gpt-4o" }] };
        options.Models["locked"] = new ModelOptions { Deployments = [new() { Provider = "locked", Model = "sim", PriceAs = "gpt-4o" }] };
        options.Tenants["acme"] = new TenantOptions();
        options.Tenants["globex"] = new TenantOptions();
        options.Keys["back-office"] = new KeyOptions { Tenant = "acme", Models = ["*"], Regions = ["*"] };
        options.Keys["client-eu"] = new KeyOptions { Tenant = "globex", Models = ["assistant"], Regions = ["eu"] };
        options.Keys["tiny"] = new KeyOptions { Models = ["*"], Regions = ["*"], RateLimit = new RateLimitOptions { RequestsPerMinute = 1 } };
        options.Keys["broke"] = new KeyOptions { Models = ["*"], Regions = ["*"], Budget = new BudgetOptions { Limit = 0m, Period = BudgetPeriod.Daily } };
        options.Budgets.Global = new BudgetOptions { Limit = 1_000_000m, Period = BudgetPeriod.Total };
        options.AnonymousKey = "back-office";

        // Failing deployments must keep failing rather than cool down, so every "flaky" call goes the whole way.
        options.Routing.AllowedFailures = 1000;
        options.Routing.FailureWindow = TimeSpan.FromMilliseconds(1);
        options.Audit.BatchSize = 2000;
        options.Audit.FlushInterval = TimeSpan.FromMilliseconds(100);

        return LlmRouterClient.Create(options, builder => builder
            .AddProvider("eu", Simulated(new ProviderOptions { Kind = ProviderKind.Simulated, Region = "eu", OutputTokens = 12 }))
            .AddProvider("ch", Simulated(new ProviderOptions { Kind = ProviderKind.Simulated, Region = "ch", OutputTokens = 7 }))
            .AddProvider("down", Simulated(new ProviderOptions { Kind = ProviderKind.Simulated, Region = "eu", FailureRate = 1 }))
            .AddProvider("down2", Simulated(new ProviderOptions { Kind = ProviderKind.Simulated, Region = "ch", FailureRate = 1, FailureKind = SimulatedFailureKind.RateLimited }))
            .AddProvider("locked", new Unauthorized())
            .AddSqliteStores(_file.ConnectionString));
    }

    private static SimulatedChatClient Simulated(ProviderOptions options) => new(options);

    private sealed record Outcome(string Name, int Weight, Func<IChatClient, Task<RouteInfo>> Call);

    /// <summary>A provider that refuses the credentials: a failure LlmRouter does not fall back from.</summary>
    private sealed class Unauthorized : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            Task.FromException<ChatResponse>(new HttpRequestException("Incorrect API key provided.", null, HttpStatusCode.Unauthorized));

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new HttpRequestException("Incorrect API key provided.", null, HttpStatusCode.Unauthorized);

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
