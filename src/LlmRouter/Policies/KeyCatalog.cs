namespace LlmRouter;

/// <summary>
/// Answers what a virtual key may use, from the routing table in service: for an application that lists a caller's
/// models (an OpenAI-compatible <c>GET /v1/models</c>, a model picker) or checks a key before it sends anything.
/// </summary>
/// <remarks>
/// <para>
/// Resolve it from the services (<c>services.AddLlmRouter(...)</c>, or <see cref="LlmRouterClient.Services"/>). It reads
/// the routing table current at each call, so a configuration reload shows in the next answer. Thread-safe.
/// </para>
/// <para>
/// Key ids are sensitive: this type never logs them or puts them in a message.
/// </para>
/// </remarks>
public sealed class KeyCatalog
{
    private readonly RoutingTableProvider _tables;

    internal KeyCatalog(RoutingTableProvider tables) => _tables = tables;

    /// <summary>Gets whether a key is configured.</summary>
    /// <param name="key">The key id, a name under <c>LlmRouter:Keys</c>.</param>
    /// <returns><see langword="true"/> when the key is configured.</returns>
    public bool Contains(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return _tables.Current.Policies.TryGet(key, out _);
    }

    /// <summary>
    /// Gets the model aliases a key may request, in ordinal order: the configured aliases its <c>Models</c> patterns
    /// match that can be served in its <c>Regions</c> — by a deployment of the alias itself, or of a fallback alias the
    /// key may also use within <see cref="RoutingOptions.MaxFallbackHops"/>.
    /// </summary>
    /// <param name="key">The key id, a name under <c>LlmRouter:Keys</c>.</param>
    /// <param name="models">The aliases; empty when the key may use none.</param>
    /// <returns><see langword="false"/> when the key is not configured.</returns>
    /// <remarks>
    /// An alias in the list can still be refused for a particular request: when its PII policy blocks what the request
    /// contains, or when a rate limit or budget says no. An alias the key may use only through a fallback is served by
    /// that fallback.
    /// </remarks>
    public bool TryGetModels(string key, out IReadOnlyList<string> models)
    {
        ArgumentNullException.ThrowIfNull(key);
        RoutingTable table = _tables.Current;
        if (!table.Policies.TryGet(key, out KeyPolicy? policy))
        {
            models = [];
            return false;
        }

        var allowed = new List<string>();
        foreach ((string alias, ModelGroup group) in table.Models)
        {
            if (policy.Models.Allows(alias) && CanServe(policy, group, table.Routing.MaxFallbackHops))
            {
                allowed.Add(alias);
            }
        }

        allowed.Sort(StringComparer.Ordinal);
        models = allowed;
        return true;
    }

    private static bool CanServe(KeyPolicy policy, ModelGroup group, int maxHops)
    {
        if (InRegion(policy, group))
        {
            return true;
        }

        // Each alias of the chain the fallback layer goes to is one hop, whether its deployments are called or skipped.
        ModelGroup[] chain = group.Fallbacks;
        for (int i = 0; i < Math.Min(chain.Length, maxHops); i++)
        {
            ModelGroup fallback = chain[i];
            if (policy.Models.Allows(fallback.Name) && InRegion(policy, fallback))
            {
                return true;
            }
        }

        return false;
    }

    private static bool InRegion(KeyPolicy policy, ModelGroup group)
    {
        foreach (Deployment deployment in group.Deployments)
        {
            if (policy.AllowsRegion(deployment.Region))
            {
                return true;
            }
        }

        return false;
    }
}
