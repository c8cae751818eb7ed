using System.ComponentModel.DataAnnotations;

namespace LlmRouter.Postgres;

/// <summary>Where LlmRouter's PostgreSQL stores keep their data, and who may read the audit log's views.</summary>
/// <remarks>The connection string may hold a password: it is never logged nor put in an exception message.</remarks>
public sealed class PostgresStoreOptions
{
    /// <summary>The read-only role the audit store grants its views to unless told otherwise: <c>llmrouter_reader</c>.</summary>
    public const string DefaultReaderRole = "llmrouter_reader";

    /// <summary>The longest role name PostgreSQL keeps whole (longer identifiers are cut), in bytes.</summary>
    private const int MaxRoleLength = 63;

    /// <summary>Gets or sets the Npgsql connection string. Required. A secret when it holds a password.</summary>
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>
    /// Gets or sets the read-only role that dashboards read the audit log's views as (Grafana, <c>docs/dashboard.md</c>).
    /// The default value is <see cref="DefaultReaderRole"/>; <see langword="null"/> or empty leaves roles and grants alone.
    /// </summary>
    /// <remarks>
    /// When the audit store creates or migrates its schema it creates this role (<c>NOLOGIN</c>) if it does not exist, and
    /// grants it <c>USAGE</c> on the schema and <c>SELECT</c> on the views only — never on the audit tables, so it cannot
    /// read request or response content. When the store's database user may not create roles, the store logs a warning
    /// and carries on. Lowercase letters, digits and underscores, at most 63 characters, not starting with <c>pg_</c>.
    /// </remarks>
    [RegularExpression("^[a-z_][a-z0-9_]{0,62}$")]
    public string? ReaderRole { get; set; } = DefaultReaderRole;

    /// <inheritdoc/>
    public override string ToString() => "PostgreSQL store";

    /// <summary>Checks the settings a store cannot work without, all at once.</summary>
    /// <exception cref="ArgumentException">A setting is invalid; the message names each one and never repeats the connection string.</exception>
    internal void Validate()
    {
        var errors = new List<string>(2);
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            errors.Add("ConnectionString is required.");
        }

        if (!string.IsNullOrEmpty(ReaderRole) && !IsRoleName(ReaderRole))
        {
            errors.Add($"ReaderRole '{ReaderRole}' is not a role name LlmRouter creates: use lowercase letters, digits and underscores (not first), at most {MaxRoleLength} characters, not starting with 'pg_' and not a reserved name.");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid PostgreSQL store options: " + string.Join(" ", errors));
        }
    }

    private static bool IsRoleName(string name)
    {
        if (name.Length > MaxRoleLength || name.StartsWith("pg_", StringComparison.Ordinal) || name is "public" or "none" or "current_role" or "current_user" or "session_user")
        {
            return false;
        }

        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            bool letter = c is (>= 'a' and <= 'z') or '_';
            if (!letter && (i == 0 || c is not (>= '0' and <= '9')))
            {
                return false;
            }
        }

        return true;
    }
}
