using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace LlmRouter;

/// <summary>
/// The budget layer: before each call, reserves the request's worst-case cost at every budget that applies — the
/// caller's key, its tenant, the global budget, and the per-model limits within each — on all of them or on none;
/// after the request, settles the actual cost and releases the rest. A request no budget can cover is refused with
/// <see cref="BudgetExceededException"/> before any provider is called.
/// </summary>
/// <remarks>
/// <para>
/// The reservation is taken just before each attempt, for the deployment about to be called (its prompt bound at the
/// dearer input price plus its output cap at the dearer output price), so a fallback to a dearer deployment grows it,
/// and a deployment the budget cannot cover is skipped with the reason <c>budget_exceeded</c> — the request goes on to
/// the next one. When the request ends — served, failed, cancelled, or a stream read to its end or abandoned — what its
/// attempts cost (a failed attempt the provider billed included) is committed and the rest released, in one store call.
/// A stream renews its reservation's lease as it runs (<see cref="BudgetingOptions.LeaseTime"/>). Deployments without a
/// price cannot be budgeted: with a budget they are skipped (<c>price_unknown</c>).
/// </para>
/// <para>
/// A request to which no budget applies passes straight through: no store call, no allocation. In
/// <see cref="BudgetMode.Strict"/> mode (the default) committed spend never exceeds a hard limit, whatever the
/// concurrency and the number of processes sharing the store. It reads the key the key policy layer resolved, so it
/// belongs inside that layer and outside the fallback and routing layers. Thread-safe; one instance serves every request.
/// </para>
/// </remarks>
public sealed class BudgetChatClient : DelegatingChatClient
{
    private readonly RoutingTableProvider _tables;
    private readonly BudgetKeeper _keeper;

    internal BudgetChatClient(IChatClient innerClient, RoutingTableProvider tables, BudgetKeeper keeper)
        : base(innerClient)
    {
        _tables = tables;
        _keeper = keeper;
    }

    /// <inheritdoc/>
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        RouterRequest.Enter(ref messages, ref options, _keeper.Time, _keeper.Telemetry, streaming: false, out bool owner);
        var routed = (RouterChatOptions)options!;
        return owner
            ? RouterRequest.Run(this, messages, routed, static (self, m, o, ct) => self.BudgetAsync(m, o, ct), cancellationToken)
            : BudgetAsync(messages, routed, cancellationToken);
    }

    /// <inheritdoc/>
    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        RouterRequest.Enter(ref messages, ref options, _keeper.Time, _keeper.Telemetry, streaming: true, out bool owner);
        var routed = (RouterChatOptions)options!;
        return owner
            ? RouterRequest.StreamAsync(this, messages, routed, static (self, m, o, ct) => self.BudgetStreamingAsync(m, o, ct), cancellationToken)
            : BudgetStreamingAsync(messages, routed, cancellationToken);
    }

    private Task<ChatResponse> BudgetAsync(IEnumerable<ChatMessage> messages, RouterChatOptions options, CancellationToken cancellationToken)
    {
        RouteInfo route = options.Route;
        RequestBudget? budget = Begin(route);
        if (budget is null)
        {
            return InnerClient.GetResponseAsync(messages, options, cancellationToken);
        }

        Task<ChatResponse> pending = RouterRequest.Send(InnerClient, messages, options, cancellationToken);
        if (!pending.IsCompletedSuccessfully)
        {
            return SettleAsync(pending, route, budget);
        }

        ValueTask settling = budget.SettleAsync();
        if (!settling.IsCompletedSuccessfully)
        {
            return SettledAsync(settling, pending);
        }

        settling.GetAwaiter().GetResult();
        return pending;
    }

    private async Task<ChatResponse> SettleAsync(Task<ChatResponse> pending, RouteInfo route, RequestBudget budget)
    {
        try
        {
            return await pending.ConfigureAwait(false);
        }
        catch (AllDeploymentsFailedException ex) when (Refused(ex, route, budget) is { } refusal)
        {
            throw refusal;
        }
        finally
        {
            await budget.SettleAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Returns the response once the settlement a store could not finish synchronously is done.</summary>
    private static async Task<ChatResponse> SettledAsync(ValueTask settling, Task<ChatResponse> served)
    {
        await settling.ConfigureAwait(false);
        return await served.ConfigureAwait(false);
    }

    private async IAsyncEnumerable<ChatResponseUpdate> BudgetStreamingAsync(IEnumerable<ChatMessage> messages, RouterChatOptions options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        RouteInfo route = options.Route;
        RequestBudget? budget = Begin(route);
        IAsyncEnumerator<ChatResponseUpdate> updates = InnerClient.GetStreamingResponseAsync(messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                try
                {
                    if (!await updates.MoveNextAsync().ConfigureAwait(false))
                    {
                        break;
                    }
                }
                catch (AllDeploymentsFailedException ex) when (budget is not null && Refused(ex, route, budget) is { } refusal)
                {
                    throw refusal;
                }

                // A stream can outlast the lease: renewed as updates arrive and as the caller comes back for more, its
                // hold lives as long as neither the provider nor the caller pauses for half a lease.
                if (budget is not null)
                {
                    await budget.RenewIfDueAsync(cancellationToken).ConfigureAwait(false);
                }

                yield return updates.Current;
                if (budget is not null)
                {
                    await budget.RenewIfDueAsync(cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            // Disposing the inner stream ends its attempt, which records what it cost.
            await updates.DisposeAsync().ConfigureAwait(false);
            if (budget is not null)
            {
                await budget.SettleAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Starts the request's budget, or returns <see langword="null"/> when none applies (then nothing is added to the request).</summary>
    private RequestBudget? Begin(RouteInfo route)
    {
        route.Table ??= _tables.Current;
        if (BudgetPlan.For(route) is null)
        {
            return null;
        }

        var budget = new RequestBudget(_keeper, route);
        route.Budget = budget;
        route.Gates = route.Gates.With(BudgetGate.Instance);
        return budget;
    }

    /// <summary>Turns "nothing left to try" into a budget refusal when a budget refused a deployment the request could have gone to.</summary>
    private BudgetExceededException? Refused(AllDeploymentsFailedException failure, RouteInfo route, RequestBudget budget)
    {
        if (!ReferenceEquals(failure.Route, route) || budget.Refusal is not { } refusal)
        {
            return null;
        }

        RouterLog.Refused(_keeper.Logger, ModelNames.Printable(route.RequestedModel), ReasonCodes.BudgetExceeded);
        return new BudgetExceededException(refusal, route, route.AnyCalled() ? failure : null);
    }
}
