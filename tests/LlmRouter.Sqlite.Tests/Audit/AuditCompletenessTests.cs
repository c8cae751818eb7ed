using System.Collections.Concurrent;
using System.Net;
using LlmRouter.Tests.Support;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace LlmRouter.Sqlite.Tests.Audit;

/// <summary>
/// Every request is on record: 100,000 calls with every outcome LlmRouter has, under concurrency, through the whole
/// pipeline into a SQLite file — exactly one record each, and the costs in the store add up to the routes' to the last
/// decimal.
/// </summary>
public sealed class AuditCompletenessTests : IDisposable
{
    private const int Calls = 100_000;

    private readonly SqliteAuditFile _file = new();
    private readonly ConcurrentDictionary<Guid, RouteInfo> _routes = new();

    public void Dispose() => _file.Dispose();

    /// <summary>
    /// The outcomes a request can have, with their share of the calls. Each makes one call and returns the route the
    /// caller can see (from the response or the exception), or null when only the provider saw it (a cancelled stream).
    /// Budget refusals join this table as a row when the budget layer exists, and the test then also compares the
    /// budget store's committed spend with the stored costs.
    /// </summary>
    private static readonly Outcome[] Outcomes =
    [
        new("served", 26, async chat => (await chat.GetResponseAsync("Summarize the ledger.", Ask("assistant"))).GetRouteInfo()),
        new("served with a client key", 10, async chat => (await chat.GetResponseAsync("Summarize the ledger.", Ask("assistant").WithRouterKey("client-eu"))).GetRouteInfo()),
        new("streamed", 14, async chat => (await chat.GetStreamingResponseAsync("Explain the VAT rules.", Ask("assistant")).ToChatResponseAsync()).GetRouteInfo()),
        new("unknown model", 6, chat => RouteOf<UnknownModelException>(chat.GetResponseAsync("Hello", Ask("gpt-9")))),
        new("refused by the key's whitelist", 6, chat => RouteOf<ModelNotAllowedException>(chat.GetResponseAsync("Hello", Ask("flaky").WithRouterKey("client-eu")))),
        new("unknown key", 4, chat => RouteOf<UnknownKeyException>(chat.GetResponseAsync("Hello", Ask("assistant").WithRouterKey("nobody")))),
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
        await using (LlmRouterClient router = CreateRouter())
        {
            await Parallel.ForAsync(0, Calls, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
            {
                if (await Pick(i, totalWeight).Call(router) is { } route)
                {
                    seen[route.RequestId] = route;
                }
            });
        }

        // Routes the caller never got back (cancelled streams) were seen by the provider.
        foreach ((Guid id, RouteInfo route) in _routes)
        {
            seen.TryAdd(id, route);
        }

        Assert.Equal(Calls, seen.Count);
        Assert.Equal(Calls, Convert.ToInt32(await _file.ScalarAsync("SELECT COUNT(*) FROM audit_records")));
        Assert.Equal(Calls, Convert.ToInt32(await _file.ScalarAsync("SELECT COUNT(DISTINCT id) FROM audit_records")));

        await using SqliteAuditStore store = _file.Store();
        var everything = new AuditSummaryRequest { From = DateTimeOffset.UnixEpoch, To = DateTimeOffset.UtcNow.AddDays(1), GroupBy = AuditGrouping.Status };
        IReadOnlyList<AuditSummaryRow> byStatus = await store.SummarizeAsync(everything);
        Assert.Equal(seen.Values.GroupBy(r => r.Status).OrderBy(g => g.Key).Select(g => (g.Key, (long)g.Count())), byStatus.Select(r => (r.Status!.Value, r.Requests)));
        Assert.Equal(
            seen.Values.GroupBy(r => r.ReasonCode ?? "-").OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}={g.Count()}"),
            (await _file.ColumnAsync("SELECT COALESCE(reason_code, '-') || '=' || COUNT(*) FROM audit_records GROUP BY reason_code")).Order(StringComparer.Ordinal));
        foreach (string reason in new[] { ReasonCodes.UnknownModel, ReasonCodes.ModelNotAllowed, ReasonCodes.UnknownKey, ReasonCodes.RateLimited, ReasonCodes.AllDeploymentsFailed, ReasonCodes.ProviderError, ReasonCodes.Cancelled })
        {
            Assert.Contains(seen.Values, r => r.ReasonCode == reason);
        }

        decimal routesCost = seen.Values.Sum(r => r.Cost ?? 0m);
        decimal storedCost = byStatus.Sum(r => r.Cost);
        Assert.True(routesCost > 0);
        Assert.Equal(routesCost, storedCost);
        Assert.Equal(AuditText.Decimal(routesCost), AuditText.Decimal(storedCost));

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

    private static async Task<RouteInfo?> RouteOf<TException>(Task call)
        where TException : LlmRouterException
    {
        TException refusal = await Assert.ThrowsAsync<TException>(() => call);
        return refusal.Route;
    }

    /// <summary>A key allowed one request a minute: the first call is served, the rest are refused.</summary>
    private static async Task<RouteInfo?> RateLimitedAsync(IChatClient chat)
    {
        try
        {
            return (await chat.GetResponseAsync("Hello", Ask("assistant").WithRouterKey("tiny"))).GetRouteInfo();
        }
        catch (RateLimitExceededException refusal)
        {
            return refusal.Route;
        }
    }

    private static async Task<RouteInfo?> CancelMidStreamAsync(IChatClient chat)
    {
        using var cancel = new CancellationTokenSource();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (ChatResponseUpdate update in chat.GetStreamingResponseAsync("Draft a long reply.", Ask("assistant"), cancel.Token))
            {
                await cancel.CancelAsync();
            }
        });
        return null;
    }

    private static async Task<RouteInfo?> AbandonStreamAsync(IChatClient chat)
    {
        await foreach (ChatResponseUpdate update in chat.GetStreamingResponseAsync("Draft a long reply.", Ask("assistant")))
        {
            break;
        }

        return null;
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
            .AddProvider("locked", new Capturing(new Unauthorized(), _routes))
            .AddSqliteStores(_file.ConnectionString));
    }

    private Capturing Simulated(ProviderOptions options) => new(new SimulatedChatClient(options), _routes);

    private sealed record Outcome(string Name, int Weight, Func<IChatClient, Task<RouteInfo?>> Call);

    /// <summary>A provider that keeps the route of every request it sees, so requests the caller never got a route back for can be summed too.</summary>
    private sealed class Capturing(IChatClient inner, ConcurrentDictionary<Guid, RouteInfo> routes) : DelegatingChatClient(inner)
    {
        public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            Keep(options);
            return base.GetResponseAsync(messages, options, cancellationToken);
        }

        public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            Keep(options);
            return base.GetStreamingResponseAsync(messages, options, cancellationToken);
        }

        private void Keep(ChatOptions? options)
        {
            RouteInfo route = ((RouterChatOptions)options!).Route;
            routes[route.RequestId] = route;
        }
    }

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
