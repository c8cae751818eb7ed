using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace LlmRouter.Sqlite;

/// <summary>
/// Opens connections to LlmRouter's SQLite file with the settings every store relies on, and brings a component's
/// schema up to date with versioned migrations.
/// </summary>
/// <remarks>
/// The file is in WAL mode with <c>synchronous=NORMAL</c>: a committed transaction survives the process being killed
/// (it may be lost only if the operating system itself crashes before the next checkpoint), readers never block the
/// writer, and several processes on one host can share the file (<c>busy_timeout</c> makes them wait for each other
/// instead of failing). A new file gets 16 KB pages (audit rows are around a kilobyte: larger pages mean fewer page
/// splits and write-ahead-log frames per batch; the audit store writes about twice as fast as with the 4 KB default).
/// </remarks>
internal sealed class SqliteDatabase
{
    /// <summary>How long a connection waits for another process's write lock before failing: 30 seconds.</summary>
    public static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(30);

    private readonly string _connectionString;

    public SqliteDatabase(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString)
        {
            DefaultTimeout = (int)BusyTimeout.TotalSeconds,
            Pooling = true,
        };
        _connectionString = builder.ConnectionString;
    }

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            using SqliteCommand pragmas = connection.CreateCommand();
            pragmas.CommandText = $"PRAGMA page_size=16384; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout={(int)BusyTimeout.TotalMilliseconds}; PRAGMA foreign_keys=ON;";
            await pragmas.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Opens a connection to the file (with its settings) and runs <c>SELECT 1</c>: whether the file can be used now.</summary>
    public async Task ProbeAsync(CancellationToken cancellationToken = default)
    {
        SqliteConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using ConfiguredAsyncDisposable connectionScope = connection.ConfigureAwait(false);
        using SqliteCommand probe = connection.CreateCommand();
        probe.CommandText = "SELECT 1";
        await probe.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Applies the component's migrations that the file does not have yet, in one write transaction.</summary>
    /// <returns>The schema version after migrating.</returns>
    /// <exception cref="InvalidOperationException">The file has a newer schema than this version of LlmRouter knows.</exception>
    public async Task<int> MigrateAsync(string component, IReadOnlyList<SchemaMigration> migrations, CancellationToken cancellationToken = default)
    {
        SchemaMigrations.Check(component, migrations);
        SqliteConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using ConfiguredAsyncDisposable connectionScope = connection.ConfigureAwait(false);

        // BEGIN IMMEDIATE takes the write lock up front, so two processes starting together migrate one after the other.
        using (SqliteCommand begin = connection.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE";
            await begin.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            using (SqliteCommand create = connection.CreateCommand())
            {
                create.CommandText = "CREATE TABLE IF NOT EXISTS llmrouter_schema (component TEXT NOT NULL, version INTEGER NOT NULL, applied_at TEXT NOT NULL, PRIMARY KEY (component, version))";
                await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            int current;
            using (SqliteCommand read = connection.CreateCommand())
            {
                read.CommandText = "SELECT COALESCE(MAX(version), 0) FROM llmrouter_schema WHERE component = $component";
                read.Parameters.AddWithValue("$component", component);
                current = Convert.ToInt32(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
            }

            SchemaMigrations.RefuseNewer(component, current, migrations);
            foreach (SchemaMigration migration in migrations)
            {
                if (migration.Version <= current)
                {
                    continue;
                }

                using SqliteCommand step = connection.CreateCommand();
                step.CommandText = migration.Sql + ";\nINSERT INTO llmrouter_schema (component, version, applied_at) VALUES ($component, $version, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));";
                step.Parameters.AddWithValue("$component", component);
                step.Parameters.AddWithValue("$version", migration.Version);
                await step.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                current = migration.Version;
            }

            using (SqliteCommand commit = connection.CreateCommand())
            {
                commit.CommandText = "COMMIT";
                await commit.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            return current;
        }
        catch
        {
            using SqliteCommand rollback = connection.CreateCommand();
            rollback.CommandText = "ROLLBACK";
            await rollback.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }
}
