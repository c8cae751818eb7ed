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
    /// (and the budget functions, and the audit views granted to the read-only role <c>llmrouter_reader</c>) are created, or
    /// migrated, on first use.
    /// </summary>
    /// <param name="builder">The router's builder.</param>
    /// <param name="connectionString">The Npgsql connection string.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentException">The connection string cannot be parsed. The message never repeats it, since it may hold a password.</exception>
    public static LlmRouterBuilder AddPostgresStores(this LlmRouterBuilder builder, string connectionString) =>
        AddPostgresStores(builder, connectionString, static _ => { });

    /// <summary>
    /// Keeps LlmRouter's data in PostgreSQL, as <see cref="AddPostgresStores(LlmRouterBuilder, string)"/> does, with more
    /// settings: the read-only role the audit views are granted to (<see cref="PostgresStoreOptions.ReaderRole"/>).
    /// </summary>
    /// <param name="builder">The router's builder.</param>
    /// <param name="connectionString">The Npgsql connection string.</param>
    /// <param name="configure">Changes the settings; it may also replace the connection string.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentException">
    /// The connection string cannot be parsed, or a setting is invalid. The message never repeats the connection string.
    /// </exception>
    public static LlmRouterBuilder AddPostgresStores(this LlmRouterBuilder builder, string connectionString, Action<PostgresStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new PostgresStoreOptions { ConnectionString = connectionString };
        configure(options);
        options.Validate();
        try
        {
            _ = new NpgsqlConnectionStringBuilder(options.ConnectionString);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or KeyNotFoundException)
        {
            // The parser's own message can quote the string, password included.
            throw new ArgumentException("The PostgreSQL connection string cannot be parsed; check its keywords and quoting.", nameof(connectionString));
        }

        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(_ => new PostgresDatabase(options.ConnectionString));
        AuditRegistration.AddStore(builder.Services, sp => new PostgresAuditStore(
            sp.GetRequiredService<PostgresDatabase>(), RouterServices.Time(sp), ownsDatabase: false, options.ReaderRole, RouterServices.Logger(sp, typeof(PostgresAuditStore).FullName!)));
        BudgetRegistration.AddStore(builder.Services, sp => new PostgresBudgetStore(sp.GetRequiredService<PostgresDatabase>()));
        return builder;
    }
}
