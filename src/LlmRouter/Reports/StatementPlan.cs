namespace LlmRouter;

/// <summary>A statement request resolved against the configuration: the time zone, the instants of the period, what to read, and the client's budget limits.</summary>
internal sealed class StatementPlan
{
    private StatementPlan(SpendStatementRequest request, TimeZoneInfo zone, DateTimeOffset from, DateTimeOffset to, IReadOnlyList<StatementBudgetPlan> budgets)
    {
        Request = request;
        Zone = zone;
        From = from;
        To = to;
        Budgets = budgets;
        Read = new AuditReadRequest
        {
            From = from,
            To = to,
            Key = request.Scope == BudgetScope.Key ? request.Name : null,
            Tenant = request.Scope == BudgetScope.Tenant ? request.Name : null,
        };
    }

    public SpendStatementRequest Request { get; }

    public TimeZoneInfo Zone { get; }

    public DateTimeOffset From { get; }

    public DateTimeOffset To { get; }

    public AuditReadRequest Read { get; }

    public IReadOnlyList<StatementBudgetPlan> Budgets { get; }

    public static StatementPlan Create(SpendStatementRequest request, LlmRouterOptions? options)
    {
        request.Validate();
        TimeZoneInfo budgetZone = BudgetCalendar.TryFindZone(options?.Budgets.TimeZone, out TimeZoneInfo? configured) ? configured : TimeZoneInfo.Utc;
        TimeZoneInfo zone = request.TimeZone ?? budgetZone;
        DateTimeOffset from = AuditDays.StartOf(request.FirstDay, zone);
        DateTimeOffset to = AuditDays.StartOf(request.LastDay.AddDays(1), zone);
        BudgetOptions? budget = options is null ? null : request.Scope switch
        {
            BudgetScope.Key => options.Keys.TryGetValue(request.Name!, out KeyOptions? key) ? key?.Budget : null,
            BudgetScope.Tenant => options.Tenants.TryGetValue(request.Name!, out TenantOptions? tenant) ? tenant?.Budget : null,
            _ => options.Budgets.Global,
        };

        var budgets = new List<StatementBudgetPlan>();
        if (budget is not null)
        {
            var calendar = new BudgetCalendar(budgetZone);
            if (budget.Limit is decimal limit)
            {
                budgets.Add(StatementBudgetPlan.Create(null, limit, budget.Period, calendar, from, to));
            }

            foreach ((string alias, ModelBudgetOptions model) in budget.Models.OrderBy(m => m.Key, StringComparer.Ordinal))
            {
                if (model?.Limit is decimal modelLimit)
                {
                    budgets.Add(StatementBudgetPlan.Create(alias, modelLimit, model.Period ?? budget.Period, calendar, from, to));
                }
            }
        }

        return new StatementPlan(request, zone, from, to, budgets);
    }
}
