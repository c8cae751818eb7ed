using Microsoft.Data.Sqlite;

namespace LlmRouter.Sqlite.Tests;

public sealed class SqliteDatabaseTests : IDisposable
{
    private static readonly SchemaMigration[] Migrations =
    [
        new(1, "CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT NOT NULL)"),
        new(2, "ALTER TABLE things ADD COLUMN colour TEXT"),
    ];

    private readonly string _file = Path.Combine(Path.GetTempPath(), $"llmrouter-{Guid.NewGuid():N}.db");

    private string ConnectionString => $"Data Source={_file}";

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (string file in new[] { _file, _file + "-wal", _file + "-shm" })
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task A_new_file_gets_every_migration_and_a_second_run_changes_nothing()
    {
        var database = new SqliteDatabase(ConnectionString);

        Assert.Equal(2, await database.MigrateAsync("things", Migrations));
        Assert.Equal(2, await database.MigrateAsync("things", Migrations));

        await using SqliteConnection connection = await database.OpenAsync();
        await using SqliteCommand insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO things (name, colour) VALUES ('a', 'red'); SELECT COUNT(*) FROM llmrouter_schema WHERE component = 'things'";
        Assert.Equal(2L, await insert.ExecuteScalarAsync());
    }

    [Fact]
    public async Task A_file_at_an_older_version_gets_only_the_missing_steps()
    {
        var database = new SqliteDatabase(ConnectionString);
        await database.MigrateAsync("things", Migrations[..1]);

        Assert.Equal(2, await database.MigrateAsync("things", Migrations));
    }

    [Fact]
    public async Task A_file_with_a_newer_schema_is_refused()
    {
        var database = new SqliteDatabase(ConnectionString);
        await database.MigrateAsync("things", Migrations);

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => database.MigrateAsync("things", Migrations[..1]));

        Assert.Contains("newer than the 1 this version of LlmRouter knows", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_step_leaves_the_schema_where_it_was()
    {
        var database = new SqliteDatabase(ConnectionString);
        await database.MigrateAsync("things", Migrations[..1]);

        await Assert.ThrowsAsync<SqliteException>(() => database.MigrateAsync("things", [Migrations[0], new(2, "ALTER TABLE nothing ADD COLUMN x")]));

        Assert.Equal(2, await database.MigrateAsync("things", Migrations));
    }

    [Fact]
    public async Task Components_are_versioned_apart_and_many_processes_starting_together_migrate_once()
    {
        var starts = Enumerable.Range(0, 8).Select(_ => Task.Run(() => new SqliteDatabase(ConnectionString).MigrateAsync("things", Migrations)));

        Assert.All(await Task.WhenAll(starts), version => Assert.Equal(2, version));
        Assert.Equal(1, await new SqliteDatabase(ConnectionString).MigrateAsync("other", [new(1, "CREATE TABLE other (id INTEGER)")]));
    }

    [Fact]
    public async Task The_file_is_in_write_ahead_log_mode()
    {
        await using SqliteConnection connection = await new SqliteDatabase(ConnectionString).OpenAsync();
        await using SqliteCommand mode = connection.CreateCommand();
        mode.CommandText = "PRAGMA journal_mode";

        Assert.Equal("wal", await mode.ExecuteScalarAsync());
    }
}
