namespace LlmRouter;

/// <summary>
/// Counters of the budget layer that say when its guarantee was at risk: settlements that charged more than the request
/// held, settlements after the hold's lease had expired, streams whose lease lapsed, and settlements that failed.
/// Resolve it from the application's services to monitor budgets; every event it counts is also logged.
/// </summary>
/// <remarks>
/// In <see cref="BudgetMode.Strict"/> mode each of these counters staying at zero is what the guarantee that committed
/// spend never exceeds a hard limit rests on. Thread-safe; the counters only grow and are read without locking.
/// </remarks>
public sealed class BudgetStatistics
{
    private long _settledOverHold;
    private long _settledAfterLease;
    private long _leasesLost;
    private long _renewals;
    private long _settleFailures;

    /// <summary>
    /// Gets the number of settlements that charged a counter more than the request held on it: the provider billed more
    /// than the worst case the router could bound (log event 1406). Stores commit the charge anyway — spend was made.
    /// </summary>
    public long SettledOverHold => Interlocked.Read(ref _settledOverHold);

    /// <summary>Gets the number of settlements that arrived after the request's hold had expired (log event 1407).</summary>
    public long SettledAfterLease => Interlocked.Read(ref _settledAfterLease);

    /// <summary>Gets the number of streams whose lease lapsed and could not be taken again, so they were ended (log event 1408).</summary>
    public long LeasesLost => Interlocked.Read(ref _leasesLost);

    /// <summary>Gets the number of times a running stream renewed its reservation's lease.</summary>
    public long Renewals => Interlocked.Read(ref _renewals);

    /// <summary>Gets the number of settlements the store failed to take (log event 1404): their cost is not committed.</summary>
    public long SettleFailures => Interlocked.Read(ref _settleFailures);

    internal void AddSettledOverHold() => Interlocked.Increment(ref _settledOverHold);

    internal void AddSettledAfterLease() => Interlocked.Increment(ref _settledAfterLease);

    internal void AddLeaseLost() => Interlocked.Increment(ref _leasesLost);

    internal void AddRenewal() => Interlocked.Increment(ref _renewals);

    internal void AddSettleFailure() => Interlocked.Increment(ref _settleFailures);

    /// <inheritdoc/>
    public override string ToString() => FormattableString.Invariant(
        $"settled over hold {SettledOverHold}, settled after lease {SettledAfterLease}, leases lost {LeasesLost}, renewals {Renewals}, settle failures {SettleFailures}");
}
