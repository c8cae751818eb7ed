using System.Collections.Concurrent;

namespace LlmRouter;

/// <summary>Holds one <see cref="DeploymentHealth"/> per provider and model id, so health survives configuration reloads.</summary>
internal sealed class DeploymentHealthRegistry
{
    private readonly ConcurrentDictionary<string, DeploymentHealth> _health = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    public DeploymentHealthRegistry(TimeProvider timeProvider) => _time = timeProvider;

    public DeploymentHealth Get(string provider, string providerModel) =>
        _health.GetOrAdd(provider + "/" + providerModel, static (id, time) => new DeploymentHealth(id, time), _time);

    public IEnumerable<DeploymentHealth> All => _health.Values;
}
