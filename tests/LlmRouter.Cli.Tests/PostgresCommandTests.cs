using LlmRouter.Cli.Tests.Support;
using LlmRouter.Postgres;
using LlmRouter.Postgres.Tests.Support;
using LlmRouter.Tests.Support;

namespace LlmRouter.Cli.Tests;

/// <summary>The tool against a PostgreSQL audit log (a throwaway server): the same statement as from SQLite, and the verification.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresCommandTests(PostgresServer server) : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Statement_report_and_verify_read_a_postgres_audit_log_as_they_read_sqlite()
    {
        string database = await server.CreateDatabaseAsync("cli");
        await using (var store = new PostgresAuditStore(database))
        {
            await AuditSamples.WriteAsync(store, StatementSamples.Month(600));
        }

        string file = await Tool.AuditFileAsync(_directory.Path, 600);

        (int code, string fromPostgres, string error) = await Tool.RunAsync("statement", "--postgres", database, "--tenant", "acme", "--month", "2026-11", "--csv", _directory.File("pg.csv"));
        (_, string fromSqlite, _) = await Tool.RunAsync("statement", "--sqlite", file, "--tenant", "acme", "--month", "2026-11", "--csv", _directory.File("sqlite.csv"));
        (int verify, string verified, _) = await Tool.RunAsync("verify", "--postgres", database);
        (int report, _, _) = await Tool.RunAsync("report", "--postgres", database, "--month", "2026-11", "--out", _directory.File("pg.html"));

        Assert.Equal(0, code);
        Assert.Empty(error);
        Assert.Equal(Body(fromSqlite), Body(fromPostgres));
        Assert.Equal(await File.ReadAllTextAsync(_directory.File("sqlite.csv")), await File.ReadAllTextAsync(_directory.File("pg.csv")));
        Assert.Equal(0, verify);
        Assert.Contains("Verified: 600 record(s) in 1 chain(s)", verified, StringComparison.Ordinal);
        Assert.Contains("PostgreSQL database", verified, StringComparison.Ordinal);
        Assert.Equal(0, report);
        Assert.Contains("id=\"spend-by-model\"", await File.ReadAllTextAsync(_directory.File("pg.html")), StringComparison.Ordinal);
    }

    /// <summary>The statement without the line naming the CSV file.</summary>
    private static string Body(string output) => output[..output.IndexOf("Statement CSV:", StringComparison.Ordinal)];
}
