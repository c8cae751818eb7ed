namespace LlmRouter;

/// <summary>
/// A store that can tell whether it can be reached now, for LlmRouter's health checks (<c>AddLlmRouterChecks</c>).
/// </summary>
/// <remarks>
/// The SQLite and PostgreSQL audit and budget stores and the in-memory budget store implement it; implement it on an
/// <see cref="IAuditStore"/> or <see cref="IBudgetStore"/> of your own so that its health check can probe it (a store
/// without it is judged by what the audit writer saw, or not at all). A probe must be cheap — one round trip, nothing read
/// or written — and safe to run every few seconds from many instances. Its exception may end up in a health report:
/// it must not carry a connection string or a password.
/// </remarks>
public interface IStoreProbe
{
    /// <summary>Makes one cheap round trip to the store.</summary>
    /// <param name="cancellationToken">Cancels the probe (the health check's timeout).</param>
    /// <returns>A task that completes when the store answered, and fails with the store client's exception when it did not.</returns>
    Task ProbeAsync(CancellationToken cancellationToken = default);
}
