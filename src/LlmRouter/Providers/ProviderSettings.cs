using System.Collections.Concurrent;

namespace LlmRouter;

/// <summary>
/// The settings of each provider as of the routing table being built, for the named <see cref="HttpClient"/>
/// configuration, which runs while a table is being built and so cannot read the table itself.
/// </summary>
internal sealed class ProviderSettings
{
    private readonly ConcurrentDictionary<string, ProviderOptions> _settings = new(StringComparer.Ordinal);

    public void Set(string provider, ProviderOptions options) => _settings[provider] = options;

    public ProviderOptions Get(string provider) => _settings.TryGetValue(provider, out ProviderOptions? options) ? options : new ProviderOptions();
}
