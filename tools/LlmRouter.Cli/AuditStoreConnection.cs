using LlmRouter.Postgres;
using LlmRouter.Sqlite;
using Npgsql;

namespace LlmRouter.Cli;

/// <summary>
/// The audit store a command reads: a SQLite file (<c>--sqlite</c>) or a PostgreSQL database (<c>--postgres</c>),
/// checked before use. Describes itself without its password: a connection string is never printed.
/// </summary>
internal sealed class AuditStoreConnection : IAsyncDisposable
{
    private readonly IAsyncDisposable _owner;

    private AuditStoreConnection(IAuditQuery query, IAuditReader reader, IAsyncDisposable owner, string description)
    {
        Query = query;
        Reader = reader;
        _owner = owner;
        Description = description;
    }

    public IAuditQuery Query { get; }

    public IAuditReader Reader { get; }

    /// <summary>Gets what the store is, for messages: <c>SQLite file audit.db</c> or <c>PostgreSQL database llmrouter on db.example:5432</c>.</summary>
    public string Description { get; }

    /// <summary>Reads which store the command line names: exactly one of <c>--sqlite</c> and <c>--postgres</c>.</summary>
    public static (string? Sqlite, string? Postgres) Choose(CliArguments arguments)
    {
        string? sqlite = arguments.Value("--sqlite");
        string? postgres = arguments.Value("--postgres");
        if ((sqlite is null) == (postgres is null))
        {
            throw new CliUsageException("give the audit store: --sqlite <file> or --postgres <connection string> (one of them).");
        }

        return (sqlite, postgres);
    }

    public static async Task<AuditStoreConnection> OpenAsync((string? Sqlite, string? Postgres) choice, CancellationToken cancellationToken)
    {
        (string? sqlite, string? postgres) = choice;
        AuditStoreConnection connection = sqlite is not null ? OpenSqlite(sqlite) : OpenPostgres(postgres!);
        try
        {
            // Reads the chain heads: creates nothing but the schema of an empty store, and proves it is reachable.
            await using IAsyncEnumerator<AuditChainHead> chains = connection.Reader.ReadChainsAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
            await chains.MoveNextAsync();
            return connection;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await connection.DisposeAsync();
            throw new CliUnavailableException($"cannot read the audit log in the {connection.Description}: {CliErrors.Describe(ex, postgres)}");
        }
    }

    public ValueTask DisposeAsync() => _owner.DisposeAsync();

    private static AuditStoreConnection OpenSqlite(string path)
    {
        string full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new CliUnavailableException($"there is no SQLite file at {full}.");
        }

        var store = new SqliteAuditStore(new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder { DataSource = full }.ConnectionString);
        return new AuditStoreConnection(store, store, store, "SQLite file " + full);
    }

    private static AuditStoreConnection OpenPostgres(string connectionString)
    {
        NpgsqlConnectionStringBuilder parsed;
        try
        {
            parsed = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException)
        {
            throw new CliUsageException("the PostgreSQL connection string cannot be parsed (it is not repeated here, as it may hold a password).");
        }

        string description = $"PostgreSQL database {parsed.Database ?? "(default)"} on {parsed.Host ?? "localhost"}:{parsed.Port}";
        var store = new PostgresAuditStore(connectionString);
        return new AuditStoreConnection(store, store, store, description);
    }
}
