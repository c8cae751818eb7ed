using LlmRouter.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace LlmRouter.Cli.Tests.Support;

/// <summary>Runs the tool in process, as <c>llmrouter args…</c> would, on a clock set to 2026-12-02 (so November 2026 is closed).</summary>
internal static class Tool
{
    public static readonly DateTimeOffset Now = new(2026, 12, 2, 8, 0, 0, TimeSpan.Zero);

    public static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = await CliApp.RunAsync(args, output, error, new FakeTimeProvider(Now), CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>A temporary SQLite audit file holding a month of traffic (<see cref="StatementSamples.Month"/>).</summary>
    public static async Task<string> AuditFileAsync(string directory, int records = 1200)
    {
        string file = Path.Combine(directory, "audit.db");
        await using var store = new LlmRouter.Sqlite.SqliteAuditStore("Data Source=" + file);
        await AuditSamples.WriteAsync(store, StatementSamples.Month(records));
        return file;
    }
}
