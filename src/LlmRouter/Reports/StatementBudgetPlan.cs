namespace LlmRouter;

/// <summary>One budget limit of a statement's client: its periods within the statement (on the budgets' calendar), and the spend counted in each.</summary>
internal sealed class StatementBudgetPlan
{
    private readonly (DateTimeOffset Start, DateTimeOffset End, bool Partial)[] _windows;
    private readonly decimal[] _actual;
    private int _current;

    private StatementBudgetPlan(string? model, decimal limit, BudgetPeriod period, (DateTimeOffset, DateTimeOffset, bool)[] windows)
    {
        Model = model;
        Limit = limit;
        Period = period;
        _windows = windows;
        _actual = new decimal[windows.Length];
    }

    public string? Model { get; }

    public decimal Limit { get; }

    public BudgetPeriod Period { get; }

    public static StatementBudgetPlan Create(string? model, decimal limit, BudgetPeriod period, BudgetCalendar calendar, DateTimeOffset from, DateTimeOffset to)
    {
        var windows = new List<(DateTimeOffset, DateTimeOffset, bool)>();
        DateTimeOffset at = from;
        while (at < to)
        {
            BudgetWindow window = calendar.Window(period, at);
            DateTimeOffset start = window.Start is DateTimeOffset s && s > from ? s : from;
            DateTimeOffset end = window.End is DateTimeOffset e && e < to ? e : to;
            bool partial = window.Start is not DateTimeOffset ws || ws < from || window.End is not DateTimeOffset we || we > to;
            windows.Add((start, end, partial));
            at = end;
        }

        return new StatementBudgetPlan(model, limit, period, [.. windows]);
    }

    /// <summary>Counts a request's charges in the window it started in. Requests come in start order.</summary>
    public void Count(DateTimeOffset startedAt, List<StatementCharge> charges)
    {
        while (_current < _windows.Length - 1 && startedAt >= _windows[_current].End)
        {
            _current++;
        }

        for (int i = 0; i < charges.Count; i++)
        {
            StatementCharge charge = charges[i];
            if (charge.Key.IsPriced && (Model is null || string.Equals(Model, charge.Key.Model, StringComparison.Ordinal)))
            {
                _actual[_current] += charge.Cost;
            }
        }
    }

    public SpendStatementBudget Build()
    {
        var windows = new SpendStatementBudgetWindow[_windows.Length];
        for (int i = 0; i < windows.Length; i++)
        {
            windows[i] = new SpendStatementBudgetWindow(_windows[i].Start, _windows[i].End, _windows[i].Partial, AuditText.Normalize(_actual[i]));
        }

        return new SpendStatementBudget(Model, Period, Limit, windows);
    }
}
