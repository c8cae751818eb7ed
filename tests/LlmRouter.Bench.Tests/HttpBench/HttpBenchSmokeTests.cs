using LlmRouter.Samples.Tests.Support;

namespace LlmRouter.Bench.Tests.HttpBench;

/// <summary>
/// The HTTP bench runs from start to end with a handful of calls: every case (non-streamed and streamed, concurrency 1
/// and 16) through the OpenAI SDK directly and through LlmRouter, in alternating rounds, ending with its audit
/// completeness check. No timing is asserted.
/// </summary>
public sealed class HttpBenchSmokeTests
{
    [Fact]
    public async Task A_handful_of_calls_measures_every_case_and_finds_one_audit_record_per_routed_call()
    {
        (int exitCode, string output) = await ExternalProcess.RunAsync(
            "dotnet",
            [Path.Combine(AppContext.BaseDirectory, "LlmRouter.HttpBench.dll"), "--calls", "32", "--warmup-calls", "4", "--concurrency", "1,16"],
            AppContext.BaseDirectory,
            TimeSpan.FromMinutes(2));

        Assert.True(exitCode == 0, output);
        string[] lines = output.Split('\n');
        Assert.Equal(4, lines.Count(line => line.StartsWith("OpenAI SDK, direct ", StringComparison.Ordinal)));
        Assert.Equal(4, lines.Count(line => line.StartsWith("OpenAI SDK through LlmRouter ", StringComparison.Ordinal)));
        Assert.Equal(4, lines.Count(line => line.StartsWith("added by LlmRouter ", StringComparison.Ordinal)));
        Assert.Contains(lines, line => line.StartsWith("audit check: passed: ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task More_rounds_than_calls_is_a_usage_error()
    {
        (int exitCode, string output) = await ExternalProcess.RunAsync(
            "dotnet",
            [Path.Combine(AppContext.BaseDirectory, "LlmRouter.HttpBench.dll"), "--calls", "4", "--rounds", "5"],
            AppContext.BaseDirectory,
            TimeSpan.FromMinutes(1));

        Assert.Equal(2, exitCode);
        Assert.Contains("--rounds must be more than zero and at most --calls.", output, StringComparison.Ordinal);
    }
}
