using Microsoft.Extensions.Hosting;

namespace LlmRouter;

/// <summary>
/// Puts the first routing table in service when the host starts, so what building it reports — deployments without a
/// price, the table in service — is logged at start-up rather than on the first request, and a configuration that does
/// not validate fails the start. Strict pricing still refuses unpriced deployments per request, at run time.
/// </summary>
internal sealed class RoutingTableHost : IHostedService
{
    private readonly RoutingTableProvider _tables;

    public RoutingTableHost(RoutingTableProvider tables) => _tables = tables;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = _tables.Current;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
