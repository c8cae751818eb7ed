namespace LlmRouter;

/// <summary>Probes a store for a health check and describes a failure without anything secret in it.</summary>
internal static class StoreReachability
{
    /// <summary>Probes the store when it can be probed.</summary>
    /// <returns><see langword="null"/> when it answered or cannot be probed; otherwise what went wrong (the exception's type and redacted message).</returns>
    /// <exception cref="OperationCanceledException">The health check was cancelled (its timeout).</exception>
    public static async Task<string?> ProbeAsync(object store, CancellationToken cancellationToken)
    {
        if (store is not IStoreProbe probe)
        {
            return null;
        }

        try
        {
            await probe.ProbeAsync(cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The store client's own words help the operator; key-shaped text in them is masked all the same.
            return ex.GetType().Name + ": " + SecretRedactor.Empty.Redact(ex.Message);
        }
    }
}
