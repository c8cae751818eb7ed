using System.Globalization;
using LlmRouter.Sqlite;

namespace LlmRouter.Bench;

/// <summary>
/// The end-of-run check that the audit log is complete: once the router has been disposed (which flushes the audit
/// writer), the SQLite file must hold exactly one record per call made through the router, every one served, and every
/// hash chain must verify.
/// </summary>
internal static class AuditCompleteness
{
    /// <summary>The start of the line that reports a complete audit log; the smoke tests look for it.</summary>
    public const string PassedLine = "audit check: passed";

    /// <summary>The start of the line that reports an incomplete or altered audit log.</summary>
    public const string FailedLine = "audit check: FAILED";

    /// <summary>Checks the file and writes one line saying what it found.</summary>
    /// <param name="connectionString">The audit file, closed by the router.</param>
    /// <param name="calls">The calls made through the router, warm-up included.</param>
    /// <param name="output">Where the line goes.</param>
    /// <returns>Whether the log is complete.</returns>
    public static async Task<bool> CheckAsync(string connectionString, long calls, TextWriter output)
    {
        await using var store = new SqliteAuditStore(connectionString);
        DateTimeOffset now = DateTimeOffset.UtcNow;
        var everything = new AuditSummaryRequest { From = now.AddDays(-1), To = now.AddDays(1), GroupBy = AuditGrouping.Status };
        long records = 0;
        long served = 0;
        foreach (AuditSummaryRow row in await store.SummarizeAsync(everything))
        {
            records += row.Requests;
            served += row.Status == RouteStatus.Served ? row.Requests : 0;
        }

        AuditVerification verification = await new AuditVerifier(store).VerifyAsync();
        bool complete = records == calls && served == calls && verification.IsIntact && verification.RecordsVerified == calls;
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{(complete ? PassedLine : FailedLine)}: {calls:N0} calls through the router, {records:N0} records ({served:N0} served), {verification.Chains.Count} chain(s) {(verification.IsIntact ? "intact" : "NOT intact")}, {verification.RecordsVerified:N0} records verified"));
        if (verification.FirstProblem is { } problem)
        {
            output.WriteLine("  first problem: " + problem);
        }

        return complete;
    }
}
