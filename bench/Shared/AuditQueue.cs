namespace LlmRouter.Bench;

/// <summary>The router's audit queue, seen through the writer's public counters.</summary>
internal static class AuditQueue
{
    /// <summary>
    /// Waits until the audit writer has written every record queued so far (at most its flush interval once the calls
    /// stop), so that a measurement starts with an idle writer rather than the warm-up's backlog.
    /// </summary>
    /// <param name="statistics">The router's audit writer counters.</param>
    /// <returns>A task that completes when the queue is empty.</returns>
    /// <exception cref="TimeoutException">The queue did not empty within a minute: the store is failing.</exception>
    public static async Task DrainAsync(AuditWriterStatistics statistics)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        while (statistics.Queued > 0)
        {
            try
            {
                await Task.Delay(10, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"The audit queue did not empty within a minute ({statistics}).");
            }
        }
    }
}
