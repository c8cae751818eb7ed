namespace LlmRouter;

/// <summary>The <see cref="IBudgetQuery"/> over the current routing table's budgets and the registered store.</summary>
internal sealed class BudgetQuery : IBudgetQuery
{
    private readonly RoutingTableProvider _tables;
    private readonly IBudgetStore _store;
    private readonly TimeProvider _time;

    public BudgetQuery(RoutingTableProvider tables, IBudgetStore store, TimeProvider timeProvider)
    {
        _tables = tables;
        _store = store;
        _time = timeProvider;
    }

    public Task<IReadOnlyList<BudgetStatus>> GetAllAsync(CancellationToken cancellationToken = default)
    {
        BudgetSettings settings = _tables.Current.Budgets;
        return ReadAsync(settings, settings.All, cancellationToken);
    }

    public Task<IReadOnlyList<BudgetStatus>> GetForKeyAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        RoutingTable table = _tables.Current;
        if (!table.Policies.TryGet(key, out KeyPolicy? policy))
        {
            throw new ArgumentException("No key with that id is configured.", nameof(key));
        }

        return ReadAsync(table.Budgets, policy.Budgets?.Scopes ?? [], cancellationToken);
    }

    public Task<IReadOnlyList<BudgetStatus>> GetAsync(BudgetScope scope, string? name = null, CancellationToken cancellationToken = default)
    {
        RoutingTable table = _tables.Current;
        ScopeBudget? budget;
        switch (scope)
        {
            case BudgetScope.Global:
                budget = table.Budgets.Global;
                break;
            case BudgetScope.Key:
                ArgumentNullException.ThrowIfNull(name);
                budget = table.Policies.TryGet(name, out KeyPolicy? key)
                    ? key.Budget
                    : throw new ArgumentException("No key with that id is configured.", nameof(name));
                break;
            case BudgetScope.Tenant:
                ArgumentNullException.ThrowIfNull(name);
                budget = table.Policies.TryGetTenant(name, out TenantPolicy? tenant)
                    ? tenant.Budget
                    : throw new ArgumentException("No tenant with that name is configured.", nameof(name));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(scope), scope, "Not a budget scope.");
        }

        return ReadAsync(table.Budgets, budget is null ? [] : [budget], cancellationToken);
    }

    private async Task<IReadOnlyList<BudgetStatus>> ReadAsync(BudgetSettings settings, IReadOnlyList<ScopeBudget> scopes, CancellationToken cancellationToken)
    {
        DateTimeOffset now = _time.GetUtcNow();
        var limits = new List<(ScopeBudget Scope, BudgetLimit Limit, BudgetWindow Window)>();
        var counters = new List<BudgetCounterKey>();
        foreach (ScopeBudget scope in scopes)
        {
            foreach (BudgetLimit limit in scope.Limits())
            {
                BudgetWindow window = settings.Calendar.Window(limit.Period, now);
                limits.Add((scope, limit, window));
                counters.Add(new BudgetCounterKey(scope.Scope, scope.Name, limit.Model, window.Key));
            }
        }

        if (counters.Count == 0)
        {
            return [];
        }

        IReadOnlyList<BudgetCounterState> states = await _store.ReadAsync(counters, now, cancellationToken).ConfigureAwait(false);
        var statuses = new BudgetStatus[limits.Count];
        for (int i = 0; i < statuses.Length; i++)
        {
            (ScopeBudget scope, BudgetLimit limit, BudgetWindow window) = limits[i];
            statuses[i] = new BudgetStatus(scope.Scope, scope.Name, limit.Model, limit.Period, window.Start, window.End, limit.Limit, limit.SoftLimit, states[i]);
        }

        return statuses;
    }
}
