using Microsoft.Extensions.AI;

namespace LlmRouter;

/// <summary>What was registered in code through <see cref="LlmRouterBuilder"/>: provider clients, their middleware and routing strategies.</summary>
internal sealed class RouterRegistrations
{
    public Dictionary<string, Func<IServiceProvider, IChatClient>> Providers { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, Func<IServiceProvider, IDeploymentSelector>> Strategies { get; } = new(StringComparer.Ordinal);

    /// <summary>Gets what <see cref="LlmRouterBuilder.ConfigureProviderClients"/> puts on every provider client, in order.</summary>
    public List<Action<string, ChatClientBuilder>> ProviderClientPipelines { get; } = [];

    /// <summary>Gets whether these services audit a client LlmRouter does not route (<c>AddLlmRouterAudit</c>) rather than route.</summary>
    public bool AuditOnly { get; init; }

    public bool IsKnownStrategy(string name) =>
        name is RoutingStrategies.Weighted or RoutingStrategies.LeastBusy or RoutingStrategies.LowestLatency or RoutingStrategies.LowestCost ||
        Strategies.ContainsKey(name);

    public string DescribeStrategies() =>
        "one of: " + string.Join(", ", new[] { RoutingStrategies.Weighted, RoutingStrategies.LeastBusy, RoutingStrategies.LowestLatency, RoutingStrategies.LowestCost }.Concat(Strategies.Keys));
}
