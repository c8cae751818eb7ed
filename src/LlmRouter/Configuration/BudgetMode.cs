namespace LlmRouter;

/// <summary>How budgets admit requests.</summary>
public enum BudgetMode
{
    /// <summary>
    /// A request is admitted only when its worst-case cost fits what is left after committed spend and every live
    /// reservation, so committed spend never exceeds a limit, whatever the concurrency and the number of processes.
    /// </summary>
    Strict,

    /// <summary>
    /// A request is admitted while committed spend is below the limit, as peer gateways do: fewer refusals, but
    /// requests running together can overshoot a limit by up to their combined cost.
    /// </summary>
    Lenient,
}
