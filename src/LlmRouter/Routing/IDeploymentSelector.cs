namespace LlmRouter;

/// <summary>
/// A routing strategy: picks one of an alias's eligible deployments for an attempt.
/// </summary>
/// <remarks>
/// Register a custom strategy with <see cref="LlmRouterBuilder.AddRoutingStrategy(string, Func{IServiceProvider, IDeploymentSelector})"/>
/// and name it in <c>Routing:Strategy</c> or a model's <c>Strategy</c>. The candidates are already filtered: healthy
/// (not cooling down), not yet tried in this request, and allowed by the caller's key. Implementations are called
/// concurrently and must be thread-safe; they run on every request and should not allocate.
/// </remarks>
public interface IDeploymentSelector
{
    /// <summary>Picks a deployment.</summary>
    /// <param name="candidates">The eligible deployments; never empty.</param>
    /// <param name="arguments">What the selection is for.</param>
    /// <returns>The index in <paramref name="candidates"/> of the deployment to call.</returns>
    int Select(ReadOnlySpan<Deployment> candidates, in DeploymentSelectionArguments arguments);
}
