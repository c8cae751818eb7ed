using System.Diagnostics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace LlmRouter.Sqlite.Tests.Audit;

/// <summary>
/// <c>scripts/verify-audit-sqlite.py</c>, the verification an auditor runs without LlmRouter, against files LlmRouter
/// wrote: it accepts an intact one (exit status 0) and reports tampering as it documents (exit status 1, "NOT intact"
/// and the first problem of the chain).
/// </summary>
public sealed class AuditVerifyScriptTests : IDisposable
{
    private readonly SqliteAuditFile _file = new();

    public void Dispose() => _file.Dispose();

    [Fact]
    public async Task The_script_accepts_a_file_the_router_wrote_and_reports_an_edited_cost()
    {
        int records = await WriteThroughRouterAsync();
        (int intactStatus, string intact) = await VerifyAsync();

        await _file.ExecuteAsync("UPDATE audit_records SET cost = '0.5' WHERE seq = 3");
        (int editedStatus, string edited) = await VerifyAsync();

        Assert.True(intactStatus == 0, intact);
        Assert.Contains($"{records} record(s) in 1 chain(s): intact", intact, StringComparison.Ordinal);
        Assert.True(editedStatus == 1, edited);
        Assert.Contains("NOT intact: #3: fields do not match the hash", edited, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_script_reports_a_deleted_record_and_records_re_ordered()
    {
        await WriteThroughRouterAsync();
        await _file.ExecuteAsync("DELETE FROM audit_records WHERE seq = 2");
        (int deletedStatus, string deleted) = await VerifyAsync();

        await _file.ExecuteAsync("UPDATE audit_records SET seq = CASE seq WHEN 3 THEN 2 WHEN 4 THEN 3 ELSE seq END WHERE seq IN (3, 4)");
        await _file.ExecuteAsync("UPDATE audit_records SET seq = CASE seq WHEN 2 THEN 4 ELSE 2 END WHERE seq IN (2, 3)");
        (int reorderedStatus, string reordered) = await VerifyAsync();

        Assert.True(deletedStatus == 1, deleted);
        Assert.Contains("NOT intact: #2: missing (next present is #3)", deleted, StringComparison.Ordinal);
        Assert.True(reorderedStatus == 1, reordered);
        Assert.Contains("NOT intact: #2: does not link to #1", reordered, StringComparison.Ordinal);
    }

    /// <summary>Served, refused, failed-after-fallback and streamed requests, with a key, a tenant, tags and content: every kind of field filled.</summary>
    private async Task<int> WriteThroughRouterAsync()
    {
        var options = new LlmRouterOptions();
        options.Providers["eu"] = new ProviderOptions { Kind = ProviderKind.Simulated, Region = "eu", OutputTokens = 7 };
        options.Providers["down"] = new ProviderOptions { Kind = ProviderKind.Simulated, Region = "ch", FailureRate = 1 };
        options.Models["assistant"] = new ModelOptions { Deployments = [new() { Provider = "eu", Model = "sim", PriceAs = "gpt-4o-mini" }] };
        options.Models["flaky"] = new ModelOptions { Deployments = [new() { Provider = "down", Model = "sim", PriceAs = "gpt-4o" }], Fallbacks = ["assistant"] };
        options.Tenants["acme"] = new TenantOptions();
        options.Keys["client-chat"] = new KeyOptions { Tenant = "acme", Models = ["assistant", "flaky"], Regions = ["*"] };
        options.AnonymousKey = "client-chat";
        options.Audit.Content = AuditContentMode.Redacted;

        await using LlmRouterClient router = LlmRouterClient.Create(options, b => b.AddSqliteStores(_file.ConnectionString));
        using (RouterContext.Begin("client-chat", "user-7", ["invoice", "Zürich"]))
        {
            await router.GetResponseAsync("Summarize the ledger for anna@example.com.", new ChatOptions { ModelId = "assistant" });
            await router.GetResponseAsync("Summarize the ledger.", new ChatOptions { ModelId = "flaky" });
            await router.GetStreamingResponseAsync("Explain the VAT rules.", new ChatOptions { ModelId = "assistant" }).ToChatResponseAsync();
            await Assert.ThrowsAsync<ModelNotAllowedException>(() => router.GetResponseAsync("Hello", new ChatOptions { ModelId = "gpt-9" }));
            await router.GetResponseAsync("Thanks — ✓", new ChatOptions { ModelId = "assistant" });
        }

        await router.Services.GetRequiredService<AuditWriter>().FlushAsync();
        return 5;
    }

    private async Task<(int Status, string Output)> VerifyAsync()
    {
        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(RepositoryRoot(), "scripts", "verify-audit-sqlite.py"));
        start.ArgumentList.Add(_file.Path);
        using Process python = Process.Start(start) ?? throw new InvalidOperationException("Could not start python3.");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        Task<string> output = python.StandardOutput.ReadToEndAsync(timeout.Token);
        Task<string> errors = python.StandardError.ReadToEndAsync(timeout.Token);
        await python.WaitForExitAsync(timeout.Token);
        return (python.ExitCode, await output + await errors);
    }

    private static string RepositoryRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "scripts", "verify-audit-sqlite.py")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No scripts/verify-audit-sqlite.py above {AppContext.BaseDirectory}.");
    }
}
