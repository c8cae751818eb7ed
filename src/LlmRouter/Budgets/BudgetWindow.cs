namespace LlmRouter;

/// <summary>One budget period: its counter key (<c>M:2026-11-01</c>), when it started and when the next one starts.</summary>
internal sealed class BudgetWindow
{
    public BudgetWindow(BudgetPeriod period, string key, DateTimeOffset? start, DateTimeOffset? end)
    {
        Period = period;
        Key = key;
        Start = start;
        End = end;
    }

    public BudgetPeriod Period { get; }

    /// <summary>Gets the period's part of a <see cref="BudgetCounterKey"/>.</summary>
    public string Key { get; }

    /// <summary>Gets when the period started, or <see langword="null"/> for <see cref="BudgetPeriod.Total"/>.</summary>
    public DateTimeOffset? Start { get; }

    /// <summary>Gets when the next period starts (the budget resets), or <see langword="null"/> for <see cref="BudgetPeriod.Total"/>.</summary>
    public DateTimeOffset? End { get; }

    public bool Contains(DateTimeOffset instant) =>
        (Start is not DateTimeOffset start || instant >= start) && (End is not DateTimeOffset end || instant < end);
}
