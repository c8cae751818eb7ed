namespace LlmRouter;

/// <summary>
/// A request's hold on its budgets before a call: for each counter that applies, the most the request may cost. Taken
/// on every line or on none (<see cref="IBudgetStore.ReserveAsync"/>), renewed before each attempt, and settled once
/// when the request ends (<see cref="IBudgetStore.SettleAsync"/>).
/// </summary>
/// <remarks>
/// <para>
/// The same <see cref="Id"/> is reserved again before every attempt of a request: each call replaces the request's holds
/// with <see cref="Lines"/> and renews their lease to <see cref="ExpiresAt"/>. A hold whose lease expired stops counting;
/// that is how budget held by a crashed process comes back.
/// </para>
/// <para>
/// <see cref="Lines"/> are distinct counters in the canonical order of <see cref="BudgetCounterKey.Compare"/>, so stores
/// that lock rows take the locks in the same order everywhere and cannot deadlock. Immutable.
/// </para>
/// </remarks>
public sealed class BudgetReservation
{
    /// <summary>Initializes a new instance of the <see cref="BudgetReservation"/> class.</summary>
    /// <param name="id">The reservation's id (the request's <see cref="RouteInfo.RequestId"/>).</param>
    /// <param name="mode">How the store admits it.</param>
    /// <param name="now">The time of the reservation, from the router's clock; holds that expired by then do not count.</param>
    /// <param name="expiresAt">When the holds stop counting unless renewed or settled.</param>
    /// <param name="lines">The counters and amounts, distinct and in canonical order.</param>
    public BudgetReservation(Guid id, BudgetMode mode, DateTimeOffset now, DateTimeOffset expiresAt, IReadOnlyList<BudgetLine> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        Id = id;
        Mode = mode;
        Now = now;
        ExpiresAt = expiresAt;
        Lines = lines;
    }

    /// <summary>Gets the reservation's id.</summary>
    public Guid Id { get; }

    /// <summary>
    /// Gets how the store admits the reservation. <see cref="BudgetMode.Strict"/>: a line whose amount grows must fit its
    /// limit after committed spend and every other live hold. <see cref="BudgetMode.Lenient"/>: a line whose amount grows
    /// needs only committed spend below its limit.
    /// </summary>
    public BudgetMode Mode { get; }

    /// <summary>Gets the time of the reservation.</summary>
    public DateTimeOffset Now { get; }

    /// <summary>Gets when the holds stop counting unless renewed or settled.</summary>
    public DateTimeOffset ExpiresAt { get; }

    /// <summary>Gets the counters and the amounts to hold on them.</summary>
    public IReadOnlyList<BudgetLine> Lines { get; }
}
