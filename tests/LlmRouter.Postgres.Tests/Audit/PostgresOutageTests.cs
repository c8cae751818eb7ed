using System.Collections.Concurrent;
using LlmRouter.Postgres.Tests.Support;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace LlmRouter.Postgres.Tests.Audit;

[Collection(PostgresCollection.Name)]
public class PostgresOutageTests(PostgresServer server, Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task Buffered_records_survive_a_database_outage_under_load_and_none_is_missing()
    {
        string database = await server.CreateDatabaseAsync("outage");
        var options = new LlmRouterOptions();
        options.Providers["local"] = new ProviderOptions { Kind = ProviderKind.Simulated, Region = "eu", OutputTokens = 5 };
        options.Models["chat"] = new ModelOptions { Deployments = [new() { Provider = "local", Model = "sim", PriceAs = "gpt-4o-mini" }] };
        options.Keys["load"] = new KeyOptions { Models = ["*"], Regions = ["*"] };
        options.AnonymousKey = "load";
        options.Audit.FlushInterval = TimeSpan.FromMilliseconds(50);
        options.Audit.BatchSize = 250;
        options.Audit.QueueCapacity = 10_000;
        options.Audit.RetryInitialDelay = TimeSpan.FromMilliseconds(50);
        options.Audit.RetryMaxDelay = TimeSpan.FromMilliseconds(400);

        var ids = new ConcurrentBag<Guid>();
        AuditWriterStatistics statistics;
        await using (LlmRouterClient router = LlmRouterClient.Create(options, b => b.AddPostgresStores(database)))
        {
            statistics = router.Services.GetRequiredService<AuditWriterStatistics>();
            using var stop = new CancellationTokenSource();
            Task[] load = [.. Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
            {
                for (int i = 0; !stop.IsCancellationRequested; i++)
                {
                    ChatResponse response = (worker + i) % 3 == 0
                        ? await router.GetStreamingResponseAsync("Hello", new ChatOptions { ModelId = "chat" }).ToChatResponseAsync()
                        : await router.GetResponseAsync("Hello", new ChatOptions { ModelId = "chat" });
                    ids.Add(response.GetRouteInfo()!.RequestId);

                    // About 1,500 requests a second: a three-second outage fits in the queue, so requests never wait.
                    await Task.Delay(5);
                }
            }))];

            await Task.Delay(TimeSpan.FromSeconds(1));
            output.WriteLine($"before stop: {ids.Count} {statistics}");
            await server.StopAsync();
            output.WriteLine($"after stop: {ids.Count} {statistics}");
            int atOutage = ids.Count;
            await Task.Delay(TimeSpan.FromSeconds(3));
            int duringOutage = ids.Count - atOutage;
            output.WriteLine($"before start: {ids.Count} {statistics}");
            await server.StartAsync();
            await Task.Delay(TimeSpan.FromSeconds(1));
            await stop.CancelAsync();
            await Task.WhenAll(load);

            Assert.True(duringOutage > 0, "requests kept being served while the database was down");
        }

        Assert.True(statistics.WriteFailures > 0, "the outage was seen by the writer");
        Assert.Equal((0L, 0L, 0L, 0L), (statistics.Dropped, statistics.Lost, statistics.Rejected, statistics.Waited));
        Assert.Equal(ids.Count, statistics.Written);

        await using var store = new PostgresAuditStore(database);
        var stored = new HashSet<Guid>();
        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT id FROM audit_records", connection);
            await using NpgsqlDataReader reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                stored.Add(reader.GetGuid(0));
            }
        }

        Assert.Equal(ids.Count, stored.Count);
        Assert.True(stored.SetEquals(ids), "every served request has its record");
        AuditVerification verification = await new AuditVerifier(store).VerifyAsync();
        Assert.True(verification.IsIntact, verification.ToString());
    }
}
