using LlmRouter.Postgres.Tests.Support;
using Npgsql;

namespace LlmRouter.Postgres.Tests;

[Collection(PostgresCollection.Name)]
public class PostgresDatabaseTests(PostgresServer server)
{
    private static readonly SchemaMigration[] Migrations =
    [
        new(1, "CREATE TABLE things (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL)"),
        new(2, "ALTER TABLE things ADD COLUMN colour text"),
    ];

    [Fact]
    public async Task Many_instances_starting_together_migrate_once()
    {
        string connectionString = await server.CreateDatabaseAsync();
        var databases = Enumerable.Range(0, 6).Select(_ => new PostgresDatabase(connectionString)).ToArray();

        int[] versions = await Task.WhenAll(databases.Select(d => d.MigrateAsync("things", Migrations)));

        Assert.All(versions, version => Assert.Equal(2, version));
        await using NpgsqlConnection connection = await databases[0].OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM llmrouter_schema WHERE component = 'things'", connection);
        Assert.Equal(2L, await count.ExecuteScalarAsync());
        foreach (PostgresDatabase database in databases)
        {
            await database.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_database_with_a_newer_schema_is_refused_and_a_failing_step_is_rolled_back()
    {
        await using var database = new PostgresDatabase(await server.CreateDatabaseAsync());
        await database.MigrateAsync("things", Migrations[..1]);

        await Assert.ThrowsAsync<PostgresException>(() => database.MigrateAsync("things", [Migrations[0], new(2, "ALTER TABLE nothing ADD COLUMN x int")]));
        Assert.Equal(2, await database.MigrateAsync("things", Migrations));

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => database.MigrateAsync("things", Migrations[..1]));
        Assert.Contains("newer than the 1", failure.Message, StringComparison.Ordinal);
    }
}
