namespace LlmRouter;

/// <summary>One period of a budget within a <see cref="SpendStatement"/>: what the client spent in it, against the limit.</summary>
/// <remarks>Immutable.</remarks>
public sealed class SpendStatementBudgetWindow
{
    internal SpendStatementBudgetWindow(DateTimeOffset start, DateTimeOffset end, bool isPartial, decimal actual)
    {
        Start = start;
        End = end;
        IsPartial = isPartial;
        Actual = actual;
    }

    /// <summary>Gets when the window starts: the budget period's start, or the statement's when the period started before it.</summary>
    public DateTimeOffset Start { get; }

    /// <summary>Gets when the window ends (exclusive): the budget period's end, or the statement's when the period ends after it.</summary>
    public DateTimeOffset End { get; }

    /// <summary>Gets whether the budget period reaches beyond the statement, so <see cref="Actual"/> covers only its part within the statement.</summary>
    public bool IsPartial { get; }

    /// <summary>Gets the spend counted against the budget in the window, in USD, exact.</summary>
    public decimal Actual { get; }
}
