namespace LlmRouter;

/// <summary>
/// The budgets one caller's requests must fit: its key's, its tenant's and the global one — whichever are configured.
/// Compiled once per key and routing table; a key with none has no plan, and its requests skip the budget layer at no cost.
/// </summary>
internal sealed class BudgetPlan
{
    private BudgetPlan(ScopeBudget[] scopes) => Scopes = scopes;

    public ScopeBudget[] Scopes { get; }

    /// <summary>Gets the plan of a request on its captured table: its key's, or the keyless one; <see langword="null"/> when no budget applies.</summary>
    public static BudgetPlan? For(RouteInfo route) => route.Policy is { } key ? key.Budgets : route.Table!.Budgets.Keyless;

    /// <summary>Combines the budgets that apply; <see langword="null"/> when none does.</summary>
    public static BudgetPlan? Of(ScopeBudget? key, ScopeBudget? tenant, ScopeBudget? global)
    {
        int count = (key is null ? 0 : 1) + (tenant is null ? 0 : 1) + (global is null ? 0 : 1);
        if (count == 0)
        {
            return null;
        }

        var scopes = new ScopeBudget[count];
        int i = 0;
        foreach (ScopeBudget? scope in (ReadOnlySpan<ScopeBudget?>)[key, tenant, global])
        {
            if (scope is not null)
            {
                scopes[i++] = scope;
            }
        }

        return new BudgetPlan(scopes);
    }
}
