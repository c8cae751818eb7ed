using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.ML.Tokenizers;

namespace LlmRouter.Tests.Costs;

/// <summary>Routers on simulated providers for the pricing specifications, and an independent tokenizer to check counts against.</summary>
internal static class PricingFixtures
{
    /// <summary>A tokenizer of its own, so expectations are not computed by the code under test.</summary>
    public static readonly Tokenizer O200k = TiktokenTokenizer.CreateForEncoding("o200k_base");

    public static ProviderOptions Simulated(int outputTokens = 24, bool reportUsage = true) =>
        new() { Kind = ProviderKind.Simulated, Region = "eu", OutputTokens = outputTokens, ReportUsage = reportUsage };

    public static LlmRouterOptions OneModel(string alias, string providerModel, ProviderOptions? provider = null)
    {
        var options = new LlmRouterOptions();
        options.Providers["sim"] = provider ?? Simulated();
        options.Models[alias] = new ModelOptions { Deployments = [new DeploymentOptions { Provider = "sim", Model = providerModel }] };
        return options;
    }

    /// <summary>The text a simulated provider answers with, as its stream's chunks.</summary>
    public static string[] SimulatedChunks(int outputTokens)
    {
        var client = new SimulatedChatClient(new ProviderOptions { Kind = ProviderKind.Simulated, Region = "eu", OutputTokens = outputTokens, ReportUsage = false });
        return [.. client.GetStreamingResponseAsync("x").ToBlockingEnumerable().Select(u => u.Text).Where(t => t.Length > 0)];
    }

    /// <summary>Tokens of a prompt of user messages in the chat framing LlmRouter counts: 4 per message, 3 to prime the reply.</summary>
    public static long PromptTokens(params string[] userMessages) => userMessages.Sum(m => 4L + O200k.CountTokens(m)) + 3;

    /// <summary>Builds the router's own pipeline with a probe inside it, so a test can read the route of a stream it abandoned.</summary>
    public static (IChatClient Client, RouteProbe Probe) WithProbe(LlmRouterClient router)
    {
        var probe = new RouteProbe();
        IChatClient client = new ChatClientBuilder(router.Services.GetRequiredService<ProviderDispatchChatClient>())
            .UseLlmRouter()
            .Use(inner => probe.Wrap(inner))
            .Build(router.Services);
        return (client, probe);
    }
}

/// <summary>Sits between the routing layer and the providers and remembers the route of the last request.</summary>
internal sealed class RouteProbe
{
    public RouteInfo? Route { get; private set; }

    public int Calls { get; private set; }

    public IChatClient Wrap(IChatClient inner) => new ProbeClient(inner, this);

    private sealed class ProbeClient(IChatClient inner, RouteProbe probe) : DelegatingChatClient(inner)
    {
        public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            probe.Route = ((RouterChatOptions)options!).Route;
            probe.Calls++;
            return base.GetResponseAsync(messages, options, cancellationToken);
        }

        public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            probe.Route = ((RouterChatOptions)options!).Route;
            probe.Calls++;
            return base.GetStreamingResponseAsync(messages, options, cancellationToken);
        }
    }
}

/// <summary>A provider registered in code that counts its calls and answers like the simulated one.</summary>
internal sealed class CountingProvider(ProviderOptions simulated) : IChatClient
{
    private readonly SimulatedChatClient _inner = new(simulated);

    public int Calls { get; private set; }

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Calls++;
        return _inner.GetResponseAsync(messages, options, cancellationToken);
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Calls++;
        await foreach (ChatResponseUpdate update in _inner.GetStreamingResponseAsync(messages, options, cancellationToken))
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => _inner.GetService(serviceType, serviceKey);

    public void Dispose() => _inner.Dispose();
}

internal static class RouterServicesExtensions
{
    public static RoutingTable GetRoutingTable(this IServiceProvider services) => services.GetRequiredService<RoutingTableProvider>().Current;
}
