using Microsoft.Data.Sqlite;

namespace LlmRouter.Bench;

/// <summary>A SQLite audit file for one run: in the temp directory unless a path is given, deleted with its WAL files when disposed unless kept.</summary>
internal sealed class AuditFile : IDisposable
{
    private readonly bool _keep;

    /// <summary>Initializes a new instance of the <see cref="AuditFile"/> class.</summary>
    /// <param name="path">The file, or <see langword="null"/> for a new one in the temp directory.</param>
    /// <param name="keep">Whether the file stays when this object is disposed (to inspect it afterwards).</param>
    public AuditFile(string? path = null, bool keep = false)
    {
        Path = path ?? System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"llmrouter-bench-{Guid.NewGuid():N}.db");
        _keep = keep;
    }

    /// <summary>Gets the file's path.</summary>
    public string Path { get; }

    /// <summary>Gets the connection string of the file.</summary>
    public string ConnectionString => "Data Source=" + Path;

    /// <inheritdoc/>
    public void Dispose()
    {
        // Pooled connections keep the file open until the pool lets go of them.
        SqliteConnection.ClearAllPools();
        if (_keep)
        {
            return;
        }

        foreach (string file in new[] { Path, Path + "-wal", Path + "-shm" })
        {
            File.Delete(file);
        }
    }
}
