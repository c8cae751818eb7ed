using Npgsql;

namespace LlmRouter.Postgres.Tests.Support;

[Collection(PostgresCollection.Name)]
public class PostgresServerTests(PostgresServer server)
{
    [Fact]
    public async Task Each_test_gets_its_own_empty_database_on_a_real_server()
    {
        string first = await server.CreateDatabaseAsync();
        string second = await server.CreateDatabaseAsync();

        await using var connection = new NpgsqlConnection(first);
        await connection.OpenAsync();
        await using var version = new NpgsqlCommand("SELECT current_setting('server_version_num')::int, current_database()", connection);
        await using NpgsqlDataReader reader = await version.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());

        Assert.True(reader.GetInt32(0) >= 150000);
        Assert.NotEqual(new NpgsqlConnectionStringBuilder(second).Database, reader.GetString(1));
    }

    [Fact]
    public async Task The_server_can_be_stopped_and_started_again_as_in_an_outage()
    {
        Assert.True(server.IsOwned);
        string database = await server.CreateDatabaseAsync();

        await server.StopAsync();
        await Assert.ThrowsAnyAsync<NpgsqlException>(async () =>
        {
            await using var down = new NpgsqlConnection(database + ";Pooling=false");
            await down.OpenAsync();
        });
        await server.StartAsync();

        await using var up = new NpgsqlConnection(database + ";Pooling=false");
        await up.OpenAsync();
        Assert.Equal(System.Data.ConnectionState.Open, up.State);
    }
}
