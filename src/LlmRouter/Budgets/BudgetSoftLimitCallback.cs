namespace LlmRouter;

/// <summary>A soft-limit callback registered with <see cref="LlmRouterBuilder.OnBudgetSoftLimit"/>, as a service the budget layer collects.</summary>
internal sealed class BudgetSoftLimitCallback
{
    public BudgetSoftLimitCallback(Func<BudgetSoftLimitArguments, ValueTask> callback) => Callback = callback;

    public Func<BudgetSoftLimitArguments, ValueTask> Callback { get; }
}
