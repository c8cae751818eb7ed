// Runs calls in Synchronous audit mode against a SQLite file, concurrently, and prints the request id of every call
// as soon as it returned — so a test can kill this process (SIGKILL) under load and check that every call that
// returned has its record. Usage: LlmRouter.AuditWorker <sqlite file>
using LlmRouter;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

if (args.Length != 1)
{
    Console.Error.WriteLine("usage: LlmRouter.AuditWorker <sqlite file>");
    return 2;
}

var options = new LlmRouterOptions();
options.Providers["local"] = new ProviderOptions { Kind = ProviderKind.Simulated, Region = "eu", OutputTokens = 8 };
options.Models["chat"] = new ModelOptions { Deployments = [new DeploymentOptions { Provider = "local", Model = "sim", PriceAs = "gpt-4o-mini" }] };
options.Keys["worker"] = new KeyOptions { Models = ["*"], Regions = ["*"] };
options.AnonymousKey = "worker";
options.Audit.Durability = AuditDurability.Synchronous;

await using LlmRouterClient router = LlmRouterClient.Create(options, builder => builder.AddSqliteStores("Data Source=" + args[0]));
var output = new Lock();
await Parallel.ForAsync(0, int.MaxValue, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, cancellationToken) =>
{
    ChatResponse response = i % 2 == 0
        ? await router.GetResponseAsync("Hello", new ChatOptions { ModelId = "chat" }, cancellationToken)
        : await router.GetStreamingResponseAsync("Hello", new ChatOptions { ModelId = "chat" }, cancellationToken).ToChatResponseAsync(cancellationToken);
    string id = response.GetRouteInfo()!.RequestId.ToString("D");
    lock (output)
    {
        Console.Out.WriteLine(id);
        Console.Out.Flush();
    }
});
return 0;
