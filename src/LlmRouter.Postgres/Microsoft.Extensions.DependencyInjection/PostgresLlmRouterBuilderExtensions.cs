using LlmRouter;
using LlmRouter.Postgres;
using Npgsql;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers LlmRouter's PostgreSQL stores.</summary>
public static class PostgresLlmRouterBuilderExtensions
{
    /// <summary>
    /// Keeps LlmRouter's data in PostgreSQL, shared by every instance of the application. Registers the audit store
    /// (<see cref="IAuditStore"/>, <see cref="IAuditReader"/>, <see cref="IAuditQuery"/>), which turns the audit layer on,
    /// and the budget store (<see cref="IBudgetStore"/>), so every instance reserves against the same budgets. Their tables
    /// (and the budget functions) are created, or migrated, on first use.
    /// </summary>
    /// <param name="builder">The router's builder.</param>
    /// <param name="connectionString">The Npgsql connection string.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentException">The connection string cannot be parsed. The message never repeats it, since it may hold a password.</exception>
    public static LlmRouterBuilder AddPostgresStores(this LlmRouterBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        try
        {
            _ = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or KeyNotFoundException)
        {
            // The parser's own message can quote the string, password included.
            throw new ArgumentException("The PostgreSQL connection string cannot be parsed; check its keywords and quoting.", nameof(connectionString));
        }

        builder.Services.AddSingleton(new PostgresStoreOptions { ConnectionString = connectionString });
        builder.Services.AddSingleton(_ => new PostgresDatabase(connectionString));
        AuditRegistration.AddStore(builder.Services, sp => new PostgresAuditStore(sp.GetRequiredService<PostgresDatabase>(), RouterServices.Time(sp), ownsDatabase: false));
        BudgetRegistration.AddStore(builder.Services, sp => new PostgresBudgetStore(sp.GetRequiredService<PostgresDatabase>()));
        return builder;
    }
}
