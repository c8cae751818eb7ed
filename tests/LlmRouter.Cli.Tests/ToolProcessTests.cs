using System.Diagnostics;
using LlmRouter.Cli.Tests.Support;

namespace LlmRouter.Cli.Tests;

/// <summary>The tool as a process (<c>dotnet LlmRouter.Cli.dll</c>, what <c>llmrouter</c> runs): its exit codes, its output, and never a stack trace.</summary>
public sealed class ToolProcessTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task The_tool_exits_with_its_codes_and_writes_the_report_named_after_its_period_where_it_runs()
    {
        string file = await Tool.AuditFileAsync(_directory.Path, 150);

        (int report, string output, string error) = await RunAsync("report", "--sqlite", file, "--month", "2026-11");
        (int unknown, _, string unknownError) = await RunAsync("bill", "--sqlite", file);
        (int missing, _, string missingError) = await RunAsync("verify", "--sqlite", _directory.File("none.db"));
        (int verify, string verified, _) = await RunAsync("verify", "--sqlite", file);

        Assert.Equal(0, report);
        Assert.Empty(error);
        Assert.True(File.Exists(_directory.File("llmrouter-report-2026-11.html")), output);
        Assert.Equal(2, unknown);
        Assert.Equal(3, missing);
        Assert.Equal(0, verify);
        Assert.Contains("Verified: 150 record(s)", verified, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", unknownError + missingError, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", unknownError + missingError, StringComparison.Ordinal);
    }

    private async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _directory.Path,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "LlmRouter.Cli.dll"));
        foreach (string argument in args)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }
}
