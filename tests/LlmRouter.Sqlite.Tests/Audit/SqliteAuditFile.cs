using Microsoft.Data.Sqlite;

namespace LlmRouter.Sqlite.Tests.Audit;

/// <summary>A temporary SQLite audit file for one test, removed afterwards, with SQL access for tampering.</summary>
internal sealed class SqliteAuditFile : IDisposable
{
    public SqliteAuditFile() => Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"llmrouter-audit-{Guid.NewGuid():N}.db");

    public string Path { get; }

    public string ConnectionString => $"Data Source={Path}";

    public SqliteAuditStore Store() => new(ConnectionString);

    public async Task<int> ExecuteAsync(string sql)
    {
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteNonQueryAsync();
    }

    public async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }

    public async Task<List<string>> ColumnAsync(string sql)
    {
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        var values = new List<string>();
        await using SqliteDataReader reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    /// <summary>Every byte the database keeps: the file, its write-ahead log and shared memory.</summary>
    public byte[] AllBytes()
    {
        SqliteConnection.ClearAllPools();
        using var all = new MemoryStream();
        foreach (string file in new[] { Path, Path + "-wal", Path + "-shm" })
        {
            if (File.Exists(file))
            {
                using FileStream stream = new(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                stream.CopyTo(all);
            }
        }

        return all.ToArray();
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (string file in new[] { Path, Path + "-wal", Path + "-shm" })
        {
            File.Delete(file);
        }
    }
}
