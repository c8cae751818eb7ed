using Npgsql;

namespace LlmRouter.Postgres.Tests.Support;

/// <summary>What a query returned: its columns, with their PostgreSQL type names, and its rows.</summary>
internal sealed record SqlResult(IReadOnlyList<string> Columns, IReadOnlyList<string> Types, IReadOnlyList<object?[]> Rows)
{
    /// <summary>Runs <paramref name="sql"/> on <paramref name="connection"/> and reads every row; DBNull becomes null.</summary>
    public static async Task<SqlResult> QueryAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync();
        var columns = new string[reader.FieldCount];
        var types = new string[reader.FieldCount];
        for (int i = 0; i < columns.Length; i++)
        {
            columns[i] = reader.GetName(i);
            types[i] = reader.GetDataTypeName(i);
        }

        var rows = new List<object?[]>();
        while (await reader.ReadAsync())
        {
            var row = new object?[columns.Length];
            for (int i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return new SqlResult(columns, types, rows);
    }

    /// <summary>Runs <paramref name="sql"/> on a new connection to <paramref name="connectionString"/>.</summary>
    public static async Task<SqlResult> QueryAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        return await QueryAsync(connection, sql);
    }

    /// <summary>Gets the value of <paramref name="column"/> in <paramref name="row"/>.</summary>
    public object? Value(object?[] row, string column)
    {
        int index = Columns.ToList().IndexOf(column);
        return index < 0 ? throw new ArgumentException($"No column '{column}' in ({string.Join(", ", Columns)}).", nameof(column)) : row[index];
    }
}
