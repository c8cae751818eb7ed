namespace LlmRouter.Sqlite;

/// <summary>Where LlmRouter's SQLite stores keep their data.</summary>
public sealed class SqliteStoreOptions
{
    /// <summary>Gets or sets the SQLite connection string, for example <c>Data Source=llmrouter.db</c>. Required.</summary>
    public string ConnectionString { get; set; } = string.Empty;
}
