namespace LlmRouter.Tests.Support;

/// <summary>A budget store whose server does not answer, as a remote store behind a closed port: every call and probe fails.</summary>
internal sealed class UnreachableBudgetStore : IBudgetStore, IStoreProbe
{
    public int Probes { get; private set; }

    public Task ProbeAsync(CancellationToken cancellationToken = default)
    {
        Probes++;
        return Task.FromException(Refused());
    }

    public ValueTask<BudgetDecision> ReserveAsync(BudgetReservation reservation, CancellationToken cancellationToken = default) => ValueTask.FromException<BudgetDecision>(Refused());

    public ValueTask<IReadOnlyList<decimal>> SettleAsync(BudgetSettlement settlement, CancellationToken cancellationToken = default) => ValueTask.FromException<IReadOnlyList<decimal>>(Refused());

    public ValueTask<IReadOnlyList<BudgetCounterState>> ReadAsync(IReadOnlyList<BudgetCounterKey> counters, DateTimeOffset now, CancellationToken cancellationToken = default) => ValueTask.FromException<IReadOnlyList<BudgetCounterState>>(Refused());

    private static IOException Refused() => new("Connection refused");
}
