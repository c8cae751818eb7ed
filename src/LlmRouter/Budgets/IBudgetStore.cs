namespace LlmRouter;

/// <summary>
/// Where budget counters and reservations are kept: in memory (the default, one process), SQLite (<c>AddSqliteStores</c>,
/// several processes on one host sharing a file) or PostgreSQL (<c>AddPostgresStores</c>, many application instances).
/// </summary>
/// <remarks>
/// <para>
/// A store keeps, per <see cref="BudgetCounterKey"/>, the committed spend, and per reservation and counter, a hold with a
/// lease. <see cref="ReserveAsync"/> and <see cref="SettleAsync"/> must each be atomic — one transaction, one round trip
/// for a database — and safe against every other process using the same store: the invariant that committed spend never
/// exceeds a hard limit in <see cref="BudgetMode.Strict"/> mode rests on the check and the hold being one step.
/// </para>
/// <para>
/// Time is the caller's (<see cref="BudgetReservation.Now"/>), so stores need no clock of their own: a hold is live
/// while the time of the call judging it is before its <see cref="BudgetReservation.ExpiresAt"/>. The router writes
/// holds to expire the lease plus <see cref="BudgetingOptions.MaxClockSkew"/> after they were taken, so hosts whose
/// clocks disagree by less than that never expire one another's live holds. A store never caps a settlement at what was
/// held: spend that was made is committed. Thread-safe.
/// </para>
/// </remarks>
public interface IBudgetStore
{
    /// <summary>
    /// Sets the reservation's hold on each line's counter to the line's amount and renews its lease — on every line or,
    /// when one line refuses, on none. A line whose amount does not grow is always granted.
    /// </summary>
    /// <remarks>
    /// The budget layer lists every counter the reservation already holds, so a store may leave holds on counters that
    /// are not listed as they are.
    /// </remarks>
    /// <param name="reservation">The reservation.</param>
    /// <param name="cancellationToken">Cancels the call; the outcome is then unknown, and the caller settles the reservation anyway.</param>
    /// <returns><see cref="BudgetDecision.Granted"/>, or the first line that refused with its counter's state.</returns>
    ValueTask<BudgetDecision> ReserveAsync(BudgetReservation reservation, CancellationToken cancellationToken = default);

    /// <summary>Commits each charge to its counter and removes every hold of the reservation, atomically.</summary>
    /// <remarks>
    /// The charges list every counter the reservation holds (with zero where nothing was spent), so a store may release
    /// only the holds on the counters charged.
    /// </remarks>
    /// <param name="settlement">The charges.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The committed spend of each charged counter after the settlement, in the order of <see cref="BudgetSettlement.Charges"/>.</returns>
    ValueTask<IReadOnlyList<decimal>> SettleAsync(BudgetSettlement settlement, CancellationToken cancellationToken = default);

    /// <summary>Reads counters: committed spend and what live reservations hold. A counter never used reads as zero.</summary>
    /// <param name="counters">The counters.</param>
    /// <param name="now">The time at which to judge which holds are live.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The state of each counter, in the order asked.</returns>
    ValueTask<IReadOnlyList<BudgetCounterState>> ReadAsync(IReadOnlyList<BudgetCounterKey> counters, DateTimeOffset now, CancellationToken cancellationToken = default);
}
