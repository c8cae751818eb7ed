using LlmRouter.Tests.Support;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace LlmRouter.Tests.Routing;

/// <summary>
/// A regression guard on what a call costs in memory: through the whole stack (audit, key policy, rate limits, an
/// in-memory budget, fallback planned, routing and pricing) to a provider that answers synchronously, measured on the
/// caller's thread after warm-up. The audit writer's own work happens on other threads and is not counted here; the
/// load harness measures the whole process (docs/benchmarks.md).
/// </summary>
public class AllocationBudgetTests
{
    /// <summary>
    /// What the stack may add per call on the caller's thread — the route and its attempt, the request's copy of the
    /// options, the audit record and its attempt, the budget's reservation and settlement, the route attached to the
    /// response — measured at 2,040 bytes in a Release build and 3,016 in a Debug build (which compiles async
    /// methods' state machines as classes, allocated even when they complete synchronously), with room for the runtime's
    /// own variation.
    /// </summary>
#if DEBUG
    private const long BytesPerCall = 3_080;
#else
    private const long BytesPerCall = 2_080;
#endif

    private const int Calls = 2_000;

    [Fact]
    public async Task A_call_through_the_whole_stack_allocates_at_most_its_budget_over_the_bare_client()
    {
        var options = new LlmRouterOptions();
        options.Providers["p"] = Routers.Simulated();
        options.Models["chat"] = new ModelOptions { Deployments = [new DeploymentOptions { Provider = "p", Model = "gpt-4o-mini" }], Fallbacks = ["spare"] };
        options.Models["spare"] = Routers.Model(("p", "gpt-4o-mini"));
        options.Keys["client"] = new KeyOptions
        {
            Models = ["*"],
            Regions = ["eu"],
            RateLimit = new RateLimitOptions { RequestsPerMinute = int.MaxValue, TokensPerMinute = int.MaxValue },
            Budget = new BudgetOptions { Limit = 1_000_000m, Period = BudgetPeriod.Monthly },
        };
        var store = new InMemoryAuditStore();
        await using LlmRouterClient router = LlmRouterClient.Create(options, b => b.Services.AddSingleton<IAuditStore>(store));
        using var bare = new SimulatedChatClient(Routers.Simulated(), TimeProvider.System, "p");
        ChatMessage[] messages = [new(ChatRole.User, "Summarize the ledger changes of this quarter for the client.")];
        ChatOptions routed = new ChatOptions { ModelId = "chat", MaxOutputTokens = 200 }.WithRouterKey("client");
        var direct = new ChatOptions { ModelId = "gpt-4o-mini", MaxOutputTokens = 200 };

        long stack = BytesPerCallOn(router, messages, routed);
        long alone = BytesPerCallOn(bare, messages, direct);

        Assert.True(stack - alone <= BytesPerCall, $"A call through the stack allocated {stack - alone} bytes more than the bare client ({stack} against {alone}); the budget is {BytesPerCall}.");
        Assert.Equal(RouteStatus.Served, (await router.GetResponseAsync(messages, routed)).GetRouteInfo()!.Status);
    }

    /// <summary>Allocated on this thread per call, after a warm-up; every call must complete synchronously.</summary>
    private static long BytesPerCallOn(IChatClient client, ChatMessage[] messages, ChatOptions options)
    {
        for (int i = 0; i < Calls; i++)
        {
            Call(client, messages, options);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Calls; i++)
        {
            Call(client, messages, options);
        }

        return (GC.GetAllocatedBytesForCurrentThread() - before) / Calls;
    }

    private static void Call(IChatClient client, ChatMessage[] messages, ChatOptions options)
    {
        Task<ChatResponse> call = client.GetResponseAsync(messages, options);
        Assert.True(call.IsCompletedSuccessfully, "The call did not complete synchronously, so its allocations are not all on this thread.");
    }
}
