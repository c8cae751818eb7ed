namespace LlmRouter.Sqlite;

/// <summary>
/// Money as the SQLite store keeps it: whole nano-dollars in 64 bits (up to about 9.2 billion USD). Amounts a budget
/// holds or is charged round up, limits round down, so rounding never lets spend past a limit.
/// </summary>
internal static class BudgetNanos
{
    private const decimal PerDollar = 1_000_000_000m;

    public static long Up(decimal amount) => (long)decimal.Ceiling(amount * PerDollar);

    public static long Down(decimal amount) => (long)decimal.Floor(amount * PerDollar);

    public static decimal ToDollars(long nanos) => nanos / PerDollar;

    public static string Scope(BudgetScope scope) => scope switch
    {
        BudgetScope.Key => "key",
        BudgetScope.Tenant => "tenant",
        _ => "global",
    };
}
