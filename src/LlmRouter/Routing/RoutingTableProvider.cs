using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LlmRouter;

/// <summary>
/// Holds the current <see cref="RoutingTable"/> and swaps in a new one, atomically, when the options reload. A reload
/// whose table cannot be built — it does not validate, or building it throws — is logged and ignored: the previous
/// table stays in service. Of two reloads built at the same time, the later configuration wins whichever finishes first.
/// </summary>
internal sealed class RoutingTableProvider : IDisposable
{
    private readonly IOptionsMonitor<LlmRouterOptions> _monitor;
    private readonly RoutingTableBuilder _builder;
    private readonly ProviderSettings _settings;
    private readonly ILogger _logger;
    private readonly RouterLifecycle _lifecycle;
    private readonly Lock _initLock = new();
    private readonly IDisposable? _subscription;
    private RoutingTable? _current;

    // The options of the last rejected reload, so that the first request does not log them again.
    private LlmRouterOptions? _rejected;

    // Numbers each configuration as it arrives, so that a table built from an older one never replaces a newer one.
    private long _generations;

    public RoutingTableProvider(IOptionsMonitor<LlmRouterOptions> monitor, RoutingTableBuilder builder, ProviderSettings settings, RouterLifecycle lifecycle, ILogger<RoutingTableProvider> logger)
    {
        _lifecycle = lifecycle;
        _monitor = monitor;
        _builder = builder;
        _settings = settings;
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
            if (Volatile.Read(ref _current) is { } current)
            {
                return current;
            }

            long generation = Interlocked.Increment(ref _generations);
            LlmRouterOptions options = _monitor.CurrentValue;
            RoutingTable table;
            try
            {
                table = _builder.Build(options, generation);
            }
            catch (Exception ex) when (_lifecycle.Validated is { } validated && !ReferenceEquals(validated, options))
            {
                // A reload that does not build arrived before the first request: serve the last configuration that did.
                Rejected(options, ex);
                table = _builder.Build(validated, generation);
            }

            Install(table);
            return Volatile.Read(ref _current)!;
        }
    }

    private void Reload(LlmRouterOptions options, string? name)
    {
        if (name is not null && name != Options.DefaultName)
        {
            return;
        }

        // Built even before the first request, so that a first table being built from older options cannot win.
        long generation = Interlocked.Increment(ref _generations);
        RoutingTable table;
        try
        {
            table = _builder.Build(options, generation);
        }
        catch (Exception ex)
        {
            // Thrown out of here, it would reach whatever triggered the reload (a file watcher, a configuration provider).
            Rejected(options, ex);
            return;
        }

        Install(table);
    }

    /// <summary>Puts a table in service unless a table built from a later configuration already is.</summary>
    private void Install(RoutingTable table)
    {
        RoutingTable? current = Volatile.Read(ref _current);
        while (current is null || current.Version < table.Version)
        {
            RoutingTable? seen = Interlocked.CompareExchange(ref _current, table, current);
            if (ReferenceEquals(seen, current))
            {
                _lifecycle.Validated = table.Options;
                _settings.InService(table.Version, table.Options.Providers);
                RouterLog.RoutingTableReloaded(_logger, table.Version, table.Models.Count);
                return;
            }

            current = seen;
        }
    }

    private void Rejected(LlmRouterOptions options, Exception exception)
    {
        if (ReferenceEquals(Interlocked.Exchange(ref _rejected, options), options))
        {
            return;
        }

        if (exception is OptionsValidationException invalid)
        {
            RouterLog.RoutingTableReloadRejected(_logger, string.Join("; ", invalid.Failures));
            return;
        }

        // The message may come from a provider's client or a strategy registered in code: no secret may reach the log.
        var redactor = new SecretRedactor(ApiKeys(options));
        RouterLog.RoutingTableBuildFailed(_logger, exception.GetType().FullName ?? exception.GetType().Name, redactor.Redact(exception.Message) ?? string.Empty);
    }

    private static IEnumerable<string?> ApiKeys(LlmRouterOptions options)
    {
        foreach (ProviderOptions? provider in options.Providers.Values)
        {
            yield return provider?.ApiKey;
        }
    }
}
