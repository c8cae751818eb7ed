namespace LlmRouter;

/// <summary>
/// The end of a request's reservation: what the request actually cost on each counter (committed), and the release of
/// everything it held.
/// </summary>
/// <remarks>
/// Settling commits the charges even when the reservation's lease has expired (the request ran, so its cost is real),
/// and releases the holds whatever the charges. <see cref="Charges"/> list every counter the reservation holds — zero
/// where nothing was spent — as distinct counters in canonical order. Immutable.
/// </remarks>
public sealed class BudgetSettlement
{
    /// <summary>Initializes a new instance of the <see cref="BudgetSettlement"/> class.</summary>
    /// <param name="id">The reservation's id.</param>
    /// <param name="charges">The actual cost on each counter the reservation held, distinct and in canonical order.</param>
    public BudgetSettlement(Guid id, IReadOnlyList<BudgetCharge> charges)
    {
        ArgumentNullException.ThrowIfNull(charges);
        Id = id;
        Charges = charges;
    }

    /// <summary>Gets the reservation's id.</summary>
    public Guid Id { get; }

    /// <summary>Gets the actual cost on each counter.</summary>
    public IReadOnlyList<BudgetCharge> Charges { get; }
}
