namespace LlmRouter;

/// <summary>
/// A check an outer layer (key policy, budget, cost) puts on every deployment the fallback and routing layers would
/// try, so that what is actually sent — not only what was asked for — obeys it.
/// </summary>
internal interface IAttemptGate
{
    /// <summary>Decides whether the deployment may be considered at all.</summary>
    /// <returns><see langword="null"/> to allow it, or the skip reason (one of <see cref="SkipReasons"/>).</returns>
    string? Screen(RouteInfo route, Deployment deployment);

    /// <summary>Runs just before the deployment is called (for example to adjust a budget reservation to its price).</summary>
    /// <returns><see langword="null"/> to proceed, or the skip reason.</returns>
    ValueTask<string?> BeforeAttemptAsync(RouteInfo route, Deployment deployment, CancellationToken cancellationToken);
}

/// <summary>
/// The gates of one request, in the order its layers put them on: an immutable chain shared by every request that got
/// the same gates in the same order, so that a route holds one reference and putting a gate on allocates nothing once
/// its chain exists.
/// </summary>
/// <remarks>
/// Every gate is a singleton, so there are only as many chains as orders in which the layers can put them on: each chain
/// keeps the chains one gate longer it has led to. Thread-safe.
/// </remarks>
internal sealed class AttemptGates
{
    public static readonly AttemptGates None = new([]);

    private readonly IAttemptGate[] _gates;
    private AttemptGates[] _longer = [];

    private AttemptGates(IAttemptGate[] gates) => _gates = gates;

    public int Count => _gates.Length;

    public IAttemptGate this[int index] => _gates[index];

    /// <summary>Returns the chain with the gate added at its end, or this chain when it holds the gate already.</summary>
    public AttemptGates With(IAttemptGate gate)
    {
        foreach (IAttemptGate held in _gates)
        {
            if (ReferenceEquals(held, gate))
            {
                return this;
            }
        }

        AttemptGates[] longer = Volatile.Read(ref _longer);
        foreach (AttemptGates chain in longer)
        {
            if (ReferenceEquals(chain._gates[^1], gate))
            {
                return chain;
            }
        }

        var created = new AttemptGates([.. _gates, gate]);

        // A request that lost the race to publish keeps its own equal chain; the next ones find the published one.
        Interlocked.CompareExchange(ref _longer, [.. longer, created], longer);
        return created;
    }

    /// <summary>Returns the first skip reason any gate gives for the deployment, or <see langword="null"/>.</summary>
    public string? Screen(RouteInfo route, Deployment deployment)
    {
        foreach (IAttemptGate gate in _gates)
        {
            if (gate.Screen(route, deployment) is { } reason)
            {
                return reason;
            }
        }

        return null;
    }
}
