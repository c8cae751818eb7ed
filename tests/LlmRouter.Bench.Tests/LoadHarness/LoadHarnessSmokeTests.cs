using LlmRouter.Samples.Tests.Support;

namespace LlmRouter.Bench.Tests.LoadHarness;

/// <summary>
/// The load harness runs from start to end: a tiny run (two callers, about a second per client) through the bare client
/// and the whole stack, ending with its audit completeness check. Benchmarks are not tests: no timing is asserted.
/// </summary>
public sealed class LoadHarnessSmokeTests
{
    [Theory]
    [InlineData("non-streamed")]
    [InlineData("streamed")]
    public async Task A_short_run_measures_both_clients_and_finds_one_audit_record_per_call(string calls)
    {
        string[] arguments = ["--callers", "2", "--duration", "1", "--warmup", "0.2"];
        if (calls == "streamed")
        {
            arguments = [.. arguments, "--stream"];
        }

        (int exitCode, string output) = await ExternalProcess.RunAsync(
            "dotnet", [Path.Combine(AppContext.BaseDirectory, "LlmRouter.LoadHarness.dll"), .. arguments], AppContext.BaseDirectory, TimeSpan.FromMinutes(2));

        Assert.True(exitCode == 0, output);
        string[] lines = output.Split('\n');
        Assert.Contains(lines, line => line.StartsWith("bare Simulated client ", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.StartsWith("LlmRouter stack ", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.StartsWith("added by LlmRouter ", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.StartsWith("audit check: passed: ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unknown_option_is_a_usage_error_not_a_default()
    {
        (int exitCode, string output) = await ExternalProcess.RunAsync(
            "dotnet", [Path.Combine(AppContext.BaseDirectory, "LlmRouter.LoadHarness.dll"), "--caller", "2"], AppContext.BaseDirectory, TimeSpan.FromMinutes(1));

        Assert.Equal(2, exitCode);
        Assert.Contains("Unknown option --caller", output, StringComparison.Ordinal);
    }
}
