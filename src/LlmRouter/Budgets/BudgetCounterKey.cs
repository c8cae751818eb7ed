namespace LlmRouter;

/// <summary>
/// Identifies one budget counter: whose budget (<see cref="Scope"/>, <see cref="Name"/>), which model within it
/// (<see cref="Model"/>), and which period (<see cref="Period"/>). Spend is counted per counter.
/// </summary>
/// <param name="Scope">Whose budget.</param>
/// <param name="Name">The key id or tenant name; <see langword="null"/> for <see cref="BudgetScope.Global"/>. A key id is sensitive: stores keep it, logs never show it.</param>
/// <param name="Model">The model alias of a per-model limit, or <see langword="null"/> for the whole budget.</param>
/// <param name="Period">
/// The period: its kind and its first day in the budgets' time zone — <c>D:2026-11-25</c>, <c>W:2026-11-23</c> (weeks start
/// on Monday), <c>M:2026-11-01</c> — or <c>T</c> for a budget that never resets. Because the period is part of the
/// counter's identity, a new period starts from zero without anything being reset.
/// </param>
public readonly record struct BudgetCounterKey(BudgetScope Scope, string? Name, string? Model, string Period)
{
    /// <summary>Compares two counters in the canonical order (scope, name, model, period; ordinal, absent first) in which stores lock them.</summary>
    /// <param name="x">A counter.</param>
    /// <param name="y">Another counter.</param>
    /// <returns>A negative number, zero or a positive number, as <paramref name="x"/> sorts before, with or after <paramref name="y"/>.</returns>
    public static int Compare(BudgetCounterKey x, BudgetCounterKey y)
    {
        int order = x.Scope.CompareTo(y.Scope);
        if (order == 0)
        {
            order = string.CompareOrdinal(x.Name, y.Name);
        }

        if (order == 0)
        {
            order = string.CompareOrdinal(x.Model, y.Model);
        }

        return order != 0 ? order : string.CompareOrdinal(x.Period, y.Period);
    }

    /// <inheritdoc/>
    /// <remarks>Leaves out <see cref="Name"/>, which may be a key id.</remarks>
    public override string ToString() => Scope + (Model is null ? string.Empty : " " + Model) + " " + Period;
}
