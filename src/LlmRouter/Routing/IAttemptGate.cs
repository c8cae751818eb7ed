using System.Runtime.CompilerServices;

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

/// <summary>The gates of one request, stored inline so that registering them allocates nothing.</summary>
internal struct AttemptGates
{
    private GateArray _gates;

    public int Count { get; private set; }

    public readonly IAttemptGate this[int index] => _gates[index]!;

    public void Add(IAttemptGate gate)
    {
        for (int i = 0; i < Count; i++)
        {
            if (ReferenceEquals(_gates[i], gate))
            {
                return;
            }
        }

        if (Count == GateArray.Length)
        {
            throw new InvalidOperationException("Too many attempt gates on one request.");
        }

        _gates[Count++] = gate;
    }

    /// <summary>Returns the first skip reason any gate gives for the deployment, or <see langword="null"/>.</summary>
    public readonly string? Screen(RouteInfo route, Deployment deployment)
    {
        for (int i = 0; i < Count; i++)
        {
            if (_gates[i]!.Screen(route, deployment) is { } reason)
            {
                return reason;
            }
        }

        return null;
    }

    [InlineArray(Length)]
    private struct GateArray
    {
        public const int Length = 6;

        private IAttemptGate? _element0;
    }
}
