using System.Text.Json;
using System.Text.RegularExpressions;
using LlmRouter.Samples.Tests.Support;

namespace LlmRouter.Samples.Tests.WebApi;

/// <summary>
/// A real outside client: the official <c>openai</c> npm package (pinned in samples/WebApi/client-test) drives the sample
/// started with its documented command, over loopback. Needs Node 20+ and npm on the PATH; without them it fails.
/// </summary>
public partial class NpmClientTests
{
    [Fact]
    public async Task The_official_openai_npm_client_drives_the_sample_started_with_its_documented_command()
    {
        string node = ExternalProcess.Find("node") ?? throw new InvalidOperationException("node is not on the PATH: this test needs Node 20+ and npm (.ci/run installs them).");
        string npm = ExternalProcess.Find("npm") ?? throw new InvalidOperationException("npm is not on the PATH: this test needs Node 20+ and npm (.ci/run installs them).");
        (int _, string version) = await ExternalProcess.RunAsync(node, ["--version"], Repository.Root, TimeSpan.FromSeconds(30));
        Assert.True(int.Parse(NodeMajor().Match(version).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) >= 20, $"Node 20+ is needed, found {version}");
        string clientTest = Path.Combine(Repository.Root, "samples", "WebApi", "client-test");

        // The README's command, on a free loopback port, already built by this test run; Simulated providers only, and
        // an audit file of its own. One more client, whose alias's provider fails every stream after three chunks.
        string auditDatabase = Path.Combine(Path.GetTempPath(), $"llmrouter-webapi-npm-{Guid.NewGuid():N}.db");
        using var cleanup = new Cleanup(() => SampleHost.DeleteDatabase(auditDatabase));
        await using ExternalProcess sample = ExternalProcess.Start(
            "dotnet",
            ["run", "--project", Path.Combine("samples", "WebApi"), "--no-build", "--configuration", Repository.Configuration, "--",
             "--urls", "http://127.0.0.1:0", "--AuditDatabase=" + auditDatabase, .. CutOffClientArguments],
            Repository.Root,
            new Dictionary<string, string?> { ["OPENAI_API_KEY"] = null, ["DOTNET_NOLOGO"] = "1" });
        (int installed, string installOutput) = await ExternalProcess.RunAsync(npm, ["ci", "--no-audit", "--no-fund"], clientTest, TimeSpan.FromMinutes(5));
        Assert.True(installed == 0, "npm ci failed:\n" + installOutput);
        string listening = await sample.WaitForLineAsync(line => line.Contains("Now listening on: http://127.0.0.1:", StringComparison.Ordinal), TimeSpan.FromMinutes(2));
        string address = Listening().Match(listening).Groups[1].Value;

        (int exitCode, string output) = await ExternalProcess.RunAsync(
            node,
            ["--test", "--test-reporter=tap", "client.test.mjs"],
            clientTest,
            TimeSpan.FromMinutes(2),
            new Dictionary<string, string?>
            {
                ["LLMROUTER_BASE_URL"] = address + "/v1",
                ["LLMROUTER_TOKEN"] = SampleHost.AcmeToken,
                ["LLMROUTER_TRIAL_TOKEN"] = SampleHost.TrialToken,
                ["LLMROUTER_CUTOFF_TOKEN"] = CutOffToken,
            });

        Assert.True(exitCode == 0, $"The npm client test failed:\n{output}\n--- sample ---\n{sample.Output}");
        foreach (string name in new[] { "a completion", "a stream with usage", "a whitelist refusal", "a budget refusal", "a stream that fails after it started", "models.list()" })
        {
            Assert.Contains($"ok {name}", OkLines(output));
        }

        Assert.Contains("# pass 6", output, StringComparison.Ordinal);
        Assert.Contains("# fail 0", output, StringComparison.Ordinal);
        Assert.Contains("# skipped 0", output, StringComparison.Ordinal);

        // Server side, the audit log holds exactly what the client did: a completion and a stream served, one whitelist
        // refusal and one budget refusal (no retries), one stream failed after it started (not retried either), and
        // nothing for models.list(), which does not reach the router.
        using var http = new HttpClient { BaseAddress = new Uri(address + "/") };
        JsonElement[] spend = [.. EventStream.Json(await http.GetStringAsync("internal/spend")).EnumerateArray()];
        Assert.Equal(
            [("client-chat", "Rejected", 1L), ("client-chat", "Served", 2L), ("cutoff", "Failed", 1L), ("trial", "Rejected", 1L)],
            spend.Select(row => (row.GetProperty("key").GetString(), row.GetProperty("status").GetString(), row.GetProperty("requests").GetInt64())).Order());
    }

    /// <summary>The token of the client <c>cutoff-app</c> the arguments below add.</summary>
    private const string CutOffToken = "sk-test-cutoff-0123456789";

    /// <summary>
    /// A client <c>cutoff-app</c> (key <c>cutoff</c>) that may use only <c>assistant-cutoff</c>, whose Simulated provider
    /// fails every stream with a 503 after three chunks: configuration overrides on the command line, as docs/endpoint.md shows.
    /// </summary>
    private static string[] CutOffClientArguments =>
    [
        "--LlmRouter:Providers:eu-cutoff:Kind=Simulated",
        "--LlmRouter:Providers:eu-cutoff:Region=eu",
        "--LlmRouter:Providers:eu-cutoff:FailureRate=1",
        "--LlmRouter:Providers:eu-cutoff:FailAfterChunks=3",
        "--LlmRouter:Models:assistant-cutoff:Deployments:0:Provider=eu-cutoff",
        "--LlmRouter:Models:assistant-cutoff:Deployments:0:Model=sim-large",
        "--LlmRouter:Keys:cutoff:Models:0=assistant-cutoff",
        "--LlmRouter:Keys:cutoff:Regions:0=eu",
        "--OpenAIEndpoint:Clients:cutoff-app:Key=cutoff",
        "--OpenAIEndpoint:Clients:cutoff-app:TokenSha256=" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(CutOffToken))),
    ];

    /// <summary>Runs an action when disposed — after everything declared later in the method is disposed.</summary>
    private sealed class Cleanup(Action action) : IDisposable
    {
        public void Dispose() => action();
    }

    private static List<string> OkLines(string tap) =>
        [.. tap.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("ok ", StringComparison.Ordinal)).Select(l => "ok " + l.Split(" - ", 2)[1])];

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex Listening();

    [GeneratedRegex(@"v(\d+)\.")]
    private static partial Regex NodeMajor();
}
