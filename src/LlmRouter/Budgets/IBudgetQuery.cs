namespace LlmRouter;

/// <summary>Reads budgets for dashboards and for callers: limit, spent, reserved, remaining and next reset of each budget.</summary>
/// <remarks>
/// Answers from the configured budgets and the registered <see cref="IBudgetStore"/>, so every instance sharing a SQLite
/// file or a PostgreSQL database sees the same numbers. Thread-safe.
/// </remarks>
public interface IBudgetQuery
{
    /// <summary>Gets every configured budget: each key's, each tenant's and the global one, each with its per-model limits.</summary>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>One status per limit, keys first, then tenants, then the global budget.</returns>
    Task<IReadOnlyList<BudgetStatus>> GetAllAsync(CancellationToken cancellationToken = default);

    /// <summary>Gets the budgets requests made with a key must fit: the key's own, its tenant's and the global one.</summary>
    /// <param name="key">The key id.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>One status per limit; empty when no budget applies to the key.</returns>
    /// <exception cref="ArgumentException">No key with that id is configured (the message does not repeat it).</exception>
    Task<IReadOnlyList<BudgetStatus>> GetForKeyAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Gets one scope's budget: a key's, a tenant's, or the global one.</summary>
    /// <param name="scope">Whose budget.</param>
    /// <param name="name">The key id or tenant name; ignored for <see cref="BudgetScope.Global"/>.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>One status per limit; empty when that scope has no budget.</returns>
    /// <exception cref="ArgumentException">No key or tenant with that name is configured.</exception>
    Task<IReadOnlyList<BudgetStatus>> GetAsync(BudgetScope scope, string? name = null, CancellationToken cancellationToken = default);
}
