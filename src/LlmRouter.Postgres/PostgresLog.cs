using Microsoft.Extensions.Logging;

namespace LlmRouter.Postgres;

/// <summary>The PostgreSQL stores' log lines (event ids 1601–1699). They name roles and views — never a connection string.</summary>
internal static partial class PostgresLog
{
    [LoggerMessage(1601, LogLevel.Warning, "The audit views are not granted to the read-only role {Role}: the role does not exist and this database user may not create roles. Create it once as an administrator (CREATE ROLE {Role} NOLOGIN; see docs/dashboard.md), or set PostgresStoreOptions.ReaderRole to null")]
    public static partial void ReaderRoleNotCreated(ILogger logger, string role);

    [LoggerMessage(1602, LogLevel.Warning, "The audit views are not granted to the read-only role {Role}: this database user may not grant them ({Reason}). Grant USAGE on the schema and SELECT on the views as an administrator (see docs/dashboard.md)")]
    public static partial void ReaderRoleNotGranted(ILogger logger, string role, string reason);

    [LoggerMessage(1603, LogLevel.Debug, "Granted the audit views to the read-only role {Role}{Created}")]
    public static partial void ReaderRoleGranted(ILogger logger, string role, string created);
}
