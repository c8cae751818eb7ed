namespace LlmRouter;

/// <summary>Whose budget: a virtual key's, a tenant's (shared by its keys), or the global one (every request).</summary>
public enum BudgetScope
{
    /// <summary>The budget of one virtual key (<c>Keys:{id}:Budget</c>).</summary>
    Key,

    /// <summary>The budget of one tenant, shared by all its keys (<c>Tenants:{name}:Budget</c>).</summary>
    Tenant,

    /// <summary>The budget of every request together (<c>Budgets:Global</c>).</summary>
    Global,
}
