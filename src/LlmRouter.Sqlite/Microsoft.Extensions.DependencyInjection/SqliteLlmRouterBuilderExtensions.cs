using LlmRouter;
using LlmRouter.Sqlite;
using Microsoft.Data.Sqlite;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers LlmRouter's SQLite stores.</summary>
public static class SqliteLlmRouterBuilderExtensions
{
    /// <summary>
    /// Keeps LlmRouter's data in a SQLite database: the embedded default, one file shared by the processes of one host.
    /// Registers the audit store (<see cref="IAuditStore"/>, <see cref="IAuditReader"/>, <see cref="IAuditQuery"/>), which
    /// turns the audit layer on, and the budget store (<see cref="IBudgetStore"/>): budgets are shared by every process using
    /// the file and survive restarts. Their tables are created, or migrated, on first use.
    /// </summary>
    /// <param name="builder">The router's builder.</param>
    /// <param name="connectionString">The SQLite connection string, for example <c>Data Source=llmrouter.db</c>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentException">The connection string cannot be parsed.</exception>
    public static LlmRouterBuilder AddSqliteStores(this LlmRouterBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        try
        {
            _ = new SqliteConnectionStringBuilder(connectionString);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or KeyNotFoundException)
        {
            throw new ArgumentException("The SQLite connection string cannot be parsed: " + ex.Message, nameof(connectionString));
        }

        builder.Services.AddSingleton(new SqliteStoreOptions { ConnectionString = connectionString });
        AuditRegistration.AddStore(builder.Services, sp => new SqliteAuditStore(new SqliteDatabase(connectionString), RouterServices.Time(sp)));
        BudgetRegistration.AddStore(builder.Services, _ => new SqliteBudgetStore(new SqliteDatabase(connectionString)));
        return builder;
    }
}
