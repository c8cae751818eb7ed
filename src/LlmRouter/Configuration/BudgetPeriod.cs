namespace LlmRouter;

/// <summary>The period after which a budget starts again.</summary>
/// <remarks>
/// Periods follow the calendar in <see cref="BudgetingOptions.TimeZone"/> (UTC by default): a day starts at local
/// midnight, a week on Monday at local midnight (ISO 8601), a month on its first day at local midnight.
/// </remarks>
public enum BudgetPeriod
{
    /// <summary>A calendar day.</summary>
    Daily,

    /// <summary>A calendar week, from Monday.</summary>
    Weekly,

    /// <summary>A calendar month.</summary>
    Monthly,

    /// <summary>No period: the budget never starts again.</summary>
    Total,
}
