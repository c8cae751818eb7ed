using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace LlmRouter.Postgres;

/// <summary>
/// The read-only role dashboards read the audit views as (<see cref="PostgresStoreOptions.ReaderRole"/>): created
/// <c>NOLOGIN</c> when missing, granted <c>USAGE</c> on the schema and <c>SELECT</c> on the views — never on a table.
/// </summary>
/// <remarks>
/// Roles belong to the whole cluster, so stores of other databases may create the same role at the same moment: the loser
/// of that race finds the role there. Grants run under the database's schema lock, since PostgreSQL refuses concurrent
/// grants on one object. A database user that may not create roles or grant leaves a warning in the log, not a failure.
/// </remarks>
internal static class PostgresReaderRole
{
    private const string DuplicateObject = "42710";
    private const string UniqueViolation = "23505";
    private const string InsufficientPrivilege = "42501";

    public static async Task GrantAsync(PostgresDatabase database, string role, IReadOnlyList<string> views, ILogger logger, CancellationToken cancellationToken)
    {
        NpgsqlConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using ConfiguredAsyncDisposable connectionScope = connection.ConfigureAwait(false);
        NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using ConfiguredAsyncDisposable transactionScope = transaction.ConfigureAwait(false);
        await PostgresDatabase.LockSchemaAsync(connection, transaction, cancellationToken).ConfigureAwait(false);

        string schema;
        bool exists;
        using (var read = new NpgsqlCommand("SELECT current_schema(), EXISTS (SELECT 1 FROM pg_roles WHERE rolname = @role)", connection, transaction))
        {
            read.Parameters.AddWithValue("role", role);
            NpgsqlDataReader reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                schema = reader.GetString(0);
                exists = reader.GetBoolean(1);
            }
        }

        string quotedRole = Quote(role);
        if (!exists && await TryAsync(transaction, "CREATE ROLE " + quotedRole + " NOLOGIN", cancellationToken).ConfigureAwait(false) == InsufficientPrivilege)
        {
            PostgresLog.ReaderRoleNotCreated(logger, role);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        // Otherwise created now — or by another database's store in the meantime (duplicate_object, unique_violation).
        string grants = "GRANT USAGE ON SCHEMA " + Quote(schema) + " TO " + quotedRole + "; GRANT SELECT ON " + string.Join(", ", views.Select(Quote)) + " TO " + quotedRole;
        if (await TryAsync(transaction, grants, cancellationToken).ConfigureAwait(false) is { } refused)
        {
            PostgresLog.ReaderRoleNotGranted(logger, role, "SQLSTATE " + refused);
        }
        else
        {
            PostgresLog.ReaderRoleGranted(logger, role, exists ? string.Empty : " (created)");
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs the statements in a savepoint; returns null when they ran, the SQLSTATE of an expected refusal otherwise.</summary>
    private static async Task<string?> TryAsync(NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await transaction.SaveAsync("reader_role", cancellationToken).ConfigureAwait(false);
        try
        {
            using var command = new NpgsqlCommand(sql, transaction.Connection, transaction);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            await transaction.ReleaseAsync("reader_role", cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (PostgresException ex) when (ex.SqlState is DuplicateObject or UniqueViolation or InsufficientPrivilege)
        {
            await transaction.RollbackAsync("reader_role", cancellationToken).ConfigureAwait(false);
            return ex.SqlState;
        }
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
