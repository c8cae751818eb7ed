using Npgsql;

namespace LlmRouter.Cli;

/// <summary>Error messages for a person: what failed, without a stack trace and without a password.</summary>
internal static class CliErrors
{
    /// <summary>The innermost useful message of an exception, any password of <paramref name="connectionString"/> masked.</summary>
    public static string Describe(Exception exception, string? connectionString = null)
    {
        Exception shown = exception;
        while (shown is AggregateException { InnerException: { } inner })
        {
            shown = inner;
        }

        string message = shown switch
        {
            NpgsqlException { InnerException: System.Net.Sockets.SocketException socket } => "the server cannot be reached (" + socket.SocketErrorCode + ")",
            PostgresException postgres => postgres.MessageText + " (" + postgres.SqlState + ")",
            _ => shown.Message,
        };

        return Mask(message, connectionString);
    }

    private static string Mask(string message, string? connectionString)
    {
        if (connectionString is null)
        {
            return message;
        }

        string? password = null;
        try
        {
            password = new NpgsqlConnectionStringBuilder(connectionString).Password;
        }
        catch (ArgumentException)
        {
            return "(the message is not shown: the connection string could not be parsed to mask its password)";
        }

        message = message.Replace(connectionString, "(connection string)", StringComparison.Ordinal);
        return string.IsNullOrEmpty(password) ? message : message.Replace(password, "***", StringComparison.Ordinal);
    }
}
