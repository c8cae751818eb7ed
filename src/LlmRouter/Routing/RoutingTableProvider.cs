using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LlmRouter;

/// <summary>
/// Holds the current <see cref="RoutingTable"/> and swaps in a new one, atomically, when the options reload. A reload
/// that does not validate is logged and ignored: the previous table stays in service.
/// </summary>
internal sealed class RoutingTableProvider : IDisposable
{
    private readonly IOptionsMonitor<LlmRouterOptions> _monitor;
    private readonly RoutingTableBuilder _builder;
    private readonly ILogger _logger;
    private readonly RouterLifecycle _lifecycle;
    private readonly Lock _initLock = new();
    private readonly IDisposable? _subscription;
    private RoutingTable? _current;

    public RoutingTableProvider(IOptionsMonitor<LlmRouterOptions> monitor, RoutingTableBuilder builder, RouterLifecycle lifecycle, ILogger<RoutingTableProvider> logger)
    {
        _lifecycle = lifecycle;
        _monitor = monitor;
        _builder = builder;
        _logger = logger;
        _subscription = monitor.OnChange(Reload);
    }

    /// <summary>Gets the table new requests run on.</summary>
    public RoutingTable Current => Volatile.Read(ref _current) ?? Initialize();

    /// <summary>Gets the table in service, or <see langword="null"/> before the first one is built (without building it).</summary>
    public RoutingTable? Peek() => Volatile.Read(ref _current);

    public void Dispose() => _subscription?.Dispose();

    private RoutingTable Initialize()
    {
        lock (_initLock)
        {
            if (_current is null)
            {
                Volatile.Write(ref _current, _builder.Build(_monitor.CurrentValue));
                _lifecycle.Serving = true;
                RouterLog.RoutingTableReloaded(_logger, _current.Version, _current.Models.Count);
            }

            return _current;
        }
    }

    private void Reload(LlmRouterOptions options, string? name)
    {
        if (name is not null && name != Options.DefaultName)
        {
            return;
        }

        if (Volatile.Read(ref _current) is null)
        {
            return; // not in service yet: the first request builds from the current value
        }

        try
        {
            RoutingTable table = _builder.Build(options);
            Volatile.Write(ref _current, table);
            RouterLog.RoutingTableReloaded(_logger, table.Version, table.Models.Count);
        }
        catch (OptionsValidationException ex)
        {
            RouterLog.RoutingTableReloadRejected(_logger, string.Join("; ", ex.Failures));
        }
    }
}
