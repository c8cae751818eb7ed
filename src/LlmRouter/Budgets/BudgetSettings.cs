namespace LlmRouter;

/// <summary>The budget side of a routing table: mode, lease, calendar, the global budget, and every configured budget (for queries).</summary>
internal sealed class BudgetSettings
{
    public static readonly BudgetSettings None = new(BudgetMode.Strict, BudgetingOptions.DefaultLeaseTime, BudgetingOptions.DefaultMaxClockSkew, new BudgetCalendar(TimeZoneInfo.Utc), global: null, []);

    private BudgetSettings(BudgetMode mode, TimeSpan leaseTime, TimeSpan maxClockSkew, BudgetCalendar calendar, ScopeBudget? global, IReadOnlyList<ScopeBudget> all)
    {
        Mode = mode;
        LeaseTime = leaseTime;
        RenewAfter = leaseTime / 2;
        HoldTime = leaseTime + maxClockSkew;
        Calendar = calendar;
        Global = global;
        Keyless = BudgetPlan.Of(null, null, global);
        All = all;
    }

    public BudgetMode Mode { get; }

    public TimeSpan LeaseTime { get; }

    /// <summary>Gets how long after it was taken a hold is renewed while its request runs: half the lease.</summary>
    public TimeSpan RenewAfter { get; }

    /// <summary>Gets how long after it was taken a hold expires in the store: the lease plus the clock-skew allowance.</summary>
    public TimeSpan HoldTime { get; }

    public BudgetCalendar Calendar { get; }

    public ScopeBudget? Global { get; }

    /// <summary>Gets the plan of requests without a resolved key (a pipeline without the key policy layer): the global budget only.</summary>
    public BudgetPlan? Keyless { get; }

    /// <summary>Gets every configured budget: keys, tenants, then the global one.</summary>
    public IReadOnlyList<ScopeBudget> All { get; }

    /// <summary>Compiles the budgets of validated options; keys' and tenants' budgets are compiled with their policies and passed in.</summary>
    public static BudgetSettings Build(LlmRouterOptions options, ScopeBudget? global, IReadOnlyList<ScopeBudget> keysAndTenants)
    {
        BudgetingOptions settings = options.Budgets;
        BudgetCalendar.TryFindZone(settings.TimeZone, out TimeZoneInfo? zone);
        var all = new List<ScopeBudget>(keysAndTenants);
        if (global is not null)
        {
            all.Add(global);
        }

        return new BudgetSettings(settings.Mode, settings.LeaseTime, settings.MaxClockSkew, new BudgetCalendar(zone ?? TimeZoneInfo.Utc), global, all);
    }
}
