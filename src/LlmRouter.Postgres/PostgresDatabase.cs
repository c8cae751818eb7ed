using System.Runtime.CompilerServices;
using Npgsql;

namespace LlmRouter.Postgres;

/// <summary>
/// The PostgreSQL database LlmRouter's stores share: one pooled data source, and versioned schema migrations that
/// many application instances can run at the same moment safely.
/// </summary>
internal sealed class PostgresDatabase : IAsyncDisposable, IDisposable
{
    // Any constant works: it only has to be the same in every instance of LlmRouter.
    private const long MigrationLockKey = 0x4C4C4D526F757465; // "LLMRoute"

    public PostgresDatabase(string connectionString)
    {
        DataSource = NpgsqlDataSource.Create(connectionString);
    }

    public NpgsqlDataSource DataSource { get; }

    public ValueTask<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken = default) => DataSource.OpenConnectionAsync(cancellationToken);

    /// <summary>Runs <c>SELECT 1</c> on a pooled connection: whether the server can be used now.</summary>
    public async Task ProbeAsync(CancellationToken cancellationToken = default)
    {
        NpgsqlCommand probe = DataSource.CreateCommand("SELECT 1");
        await using ConfiguredAsyncDisposable probeScope = probe.ConfigureAwait(false);
        await probe.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Applies the component's migrations that the database does not have yet, in one transaction.</summary>
    /// <returns>The schema version after migrating.</returns>
    /// <exception cref="InvalidOperationException">The database has a newer schema than this version of LlmRouter knows.</exception>
    public async Task<int> MigrateAsync(string component, IReadOnlyList<SchemaMigration> migrations, CancellationToken cancellationToken = default)
    {
        SchemaMigrations.Check(component, migrations);
        NpgsqlConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using ConfiguredAsyncDisposable connectionScope = connection.ConfigureAwait(false);
        NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using ConfiguredAsyncDisposable transactionScope = transaction.ConfigureAwait(false);

        // Instances starting together queue on this lock; the first migrates, the others find the work done.
        await LockSchemaAsync(connection, transaction, cancellationToken).ConfigureAwait(false);

        using (var create = new NpgsqlCommand("CREATE TABLE IF NOT EXISTS llmrouter_schema (component text NOT NULL, version integer NOT NULL, applied_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (component, version))", connection, transaction))
        {
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        int current;
        using (var read = new NpgsqlCommand("SELECT COALESCE(MAX(version), 0) FROM llmrouter_schema WHERE component = @component", connection, transaction))
        {
            read.Parameters.AddWithValue("component", component);
            current = (int)(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }

        SchemaMigrations.RefuseNewer(component, current, migrations);
        foreach (SchemaMigration migration in migrations)
        {
            if (migration.Version <= current)
            {
                continue;
            }

            using (var step = new NpgsqlCommand(migration.Sql, connection, transaction))
            {
                await step.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            using (var record = new NpgsqlCommand("INSERT INTO llmrouter_schema (component, version) VALUES (@component, @version)", connection, transaction))
            {
                record.Parameters.AddWithValue("component", component);
                record.Parameters.AddWithValue("version", migration.Version);
                await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            current = migration.Version;
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return current;
    }

    /// <summary>
    /// Takes the database's schema lock until the transaction ends: the instances of LlmRouter sharing this database change
    /// its schema and its grants one at a time.
    /// </summary>
    public static async Task LockSchemaAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        using var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection, transaction);
        lockCommand.Parameters.AddWithValue("key", MigrationLockKey);
        await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();

    public void Dispose() => DataSource.Dispose();
}
