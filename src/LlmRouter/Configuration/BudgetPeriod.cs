namespace LlmRouter;

/// <summary>The period after which a budget starts again.</summary>
public enum BudgetPeriod
{
    /// <summary>A day.</summary>
    Daily,

    /// <summary>A week.</summary>
    Weekly,

    /// <summary>A calendar month.</summary>
    Monthly,
}
