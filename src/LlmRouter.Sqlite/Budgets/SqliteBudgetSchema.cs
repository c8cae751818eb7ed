namespace LlmRouter.Sqlite;

/// <summary>
/// The budget tables of the SQLite store, as versioned migrations (component <c>budgets</c>). Money is in integer
/// nano-dollars (10⁻⁹ USD); times are UTC ticks (100 ns since 0001-01-01).
/// </summary>
internal static class SqliteBudgetSchema
{
    public const string Component = "budgets";

    public static readonly IReadOnlyList<SchemaMigration> Migrations =
    [
        new(1, """
            CREATE TABLE budget_counters (
                id INTEGER PRIMARY KEY,
                scope TEXT NOT NULL,
                name TEXT NOT NULL,
                model TEXT NOT NULL,
                period TEXT NOT NULL,
                spent_nanos INTEGER NOT NULL DEFAULT 0,
                UNIQUE (scope, name, model, period)
            );
            CREATE TABLE budget_holds (
                reservation BLOB NOT NULL,
                counter_id INTEGER NOT NULL REFERENCES budget_counters (id),
                amount_nanos INTEGER NOT NULL,
                expires_at INTEGER NOT NULL,
                PRIMARY KEY (reservation, counter_id)
            ) WITHOUT ROWID;
            CREATE INDEX budget_holds_by_counter ON budget_holds (counter_id, expires_at)
            """),
    ];
}
