namespace LlmRouter.Postgres;

/// <summary>Where LlmRouter's PostgreSQL stores keep their data.</summary>
/// <remarks>The connection string may hold a password: it is never logged nor put in an exception message.</remarks>
public sealed class PostgresStoreOptions
{
    /// <summary>Gets or sets the Npgsql connection string. Required. A secret when it holds a password.</summary>
    public string ConnectionString { get; set; } = string.Empty;

    /// <inheritdoc/>
    public override string ToString() => "PostgreSQL store";
}
