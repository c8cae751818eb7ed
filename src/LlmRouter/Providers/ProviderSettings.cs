using System.Collections.Concurrent;

namespace LlmRouter;

/// <summary>
/// The settings of each provider for the named <see cref="HttpClient"/> configuration, which creates a provider's HTTP
/// handler (and recycles it) without access to the routing table: those of the table in service, and for a provider the
/// table in service does not have yet, those of the table being built.
/// </summary>
/// <remarks>
/// A table that is built but never put in service (its configuration lost to a later one, or building it failed after
/// its clients were created) leaves its settings only for providers no table in service has.
/// </remarks>
internal sealed class ProviderSettings
{
    private readonly ConcurrentDictionary<string, (long Version, ProviderOptions Options)> _building = new(StringComparer.Ordinal);
    private volatile InServiceSettings? _inService;

    /// <summary>Records the settings of a provider whose client a table of the given version is creating.</summary>
    public void Building(long version, string provider, ProviderOptions options) =>
        _building.AddOrUpdate(
            provider,
            static (_, added) => added,
            static (_, existing, added) => added.Version >= existing.Version ? added : existing,
            (Version: version, Options: options));

    /// <summary>Makes the settings of a table that was put in service the ones handlers are created with.</summary>
    public void InService(long version, Dictionary<string, ProviderOptions> providers)
    {
        InServiceSettings? current = _inService;
        if (current is null || current.Version < version)
        {
            _inService = new InServiceSettings(version, providers);
        }
    }

    public ProviderOptions Get(string provider) =>
        _inService is { } inService && inService.Providers.TryGetValue(provider, out ProviderOptions? options) ? options :
        _building.TryGetValue(provider, out (long Version, ProviderOptions Options) building) ? building.Options :
        new ProviderOptions();

    private sealed record InServiceSettings(long Version, Dictionary<string, ProviderOptions> Providers);
}
