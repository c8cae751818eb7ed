using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LlmRouter;

/// <summary>
/// Ties the audit writer to the host: starts its chain when the host starts (or says that requests are not recorded,
/// when no store is registered), and when the host stops, waits (within the
/// host's shutdown time) until every record queued so far is written. The writer keeps accepting records after that —
/// requests still finishing during shutdown are recorded — and flushes again when the service provider is disposed.
/// </summary>
internal sealed class AuditWriterHost : IHostedService
{
    private readonly IServiceProvider _services;
    private AuditWriter? _writer;

    public AuditWriterHost(IServiceProvider services) => _services = services;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_services.GetService<IAuditStore>() is not null && _services.GetService<IOptions<LlmRouterOptions>>()?.Value.Audit is { Enabled: true })
        {
            _writer = _services.GetRequiredService<AuditWriter>();
        }
        else
        {
            AuditRegistration.WarnWhenUnrecorded(_services);
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_writer is null)
        {
            return;
        }

        try
        {
            await _writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            AuditLog.StopBeforeFlushed(RouterServices.Logger(_services, "LlmRouter.Audit"), _writer.Statistics.Queued);
        }
    }
}
