namespace LlmRouter;

/// <summary>A store's answer to <see cref="IBudgetStore.ReserveAsync"/>: granted, or refused by one line.</summary>
public readonly record struct BudgetDecision
{
    private BudgetDecision(int refusedLine, decimal spent, decimal reserved)
    {
        RefusedLine = refusedLine;
        Spent = spent;
        Reserved = reserved;
    }

    /// <summary>Gets a decision that grants the reservation.</summary>
    public static BudgetDecision Granted { get; } = new(-1, 0m, 0m);

    /// <summary>Gets whether the reservation was granted on every line.</summary>
    public bool IsGranted => RefusedLine < 0;

    /// <summary>Gets the index in <see cref="BudgetReservation.Lines"/> of the line that refused, or -1 when granted.</summary>
    public int RefusedLine { get; }

    /// <summary>Gets the refusing counter's committed spend in USD, when refused.</summary>
    public decimal Spent { get; }

    /// <summary>Gets what other live reservations held on the refusing counter in USD, when refused.</summary>
    public decimal Reserved { get; }

    /// <summary>Creates a decision that refuses the reservation because of one line; nothing was changed.</summary>
    /// <param name="line">The index of the refusing line in <see cref="BudgetReservation.Lines"/>.</param>
    /// <param name="spent">The refusing counter's committed spend.</param>
    /// <param name="reserved">What other live reservations held on it.</param>
    /// <returns>The decision.</returns>
    public static BudgetDecision Refused(int line, decimal spent, decimal reserved)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(line);
        return new BudgetDecision(line, spent, reserved);
    }
}
