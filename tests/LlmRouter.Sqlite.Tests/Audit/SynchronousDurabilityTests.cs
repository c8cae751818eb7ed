using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace LlmRouter.Sqlite.Tests.Audit;

/// <summary>
/// Synchronous mode's promise, tested with a real process: a worker makes calls under load in Synchronous mode and prints
/// each request id as its call returns; it is killed with SIGKILL mid-load; every id it printed has its record.
/// </summary>
public sealed class SynchronousDurabilityTests : IDisposable
{
    private const int ReturnedBeforeKill = 3000;

    private readonly SqliteAuditFile _file = new();

    public void Dispose() => _file.Dispose();

    [Fact]
    public async Task Every_call_that_returned_before_the_process_was_killed_has_its_record()
    {
        string worker = Path.Combine(AppContext.BaseDirectory, "LlmRouter.AuditWorker.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(worker);
        start.ArgumentList.Add(_file.Path);
        using Process process = Process.Start(start)!;
        Task<string> errors = process.StandardError.ReadToEndAsync();

        var returned = new List<Guid>();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            while (returned.Count < ReturnedBeforeKill && await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                returned.Add(Guid.Parse(line));
            }
        }
        finally
        {
            process.Kill(); // SIGKILL: no flush, no dispose, no finally blocks in the worker
            await process.WaitForExitAsync();
        }

        Assert.True(returned.Count == ReturnedBeforeKill, "the worker stopped early: " + await errors);
        Assert.Equal(137, process.ExitCode); // 128 + SIGKILL

        SqliteConnection.ClearAllPools();
        var stored = new HashSet<Guid>();
        await using (var connection = new SqliteConnection(_file.ConnectionString))
        {
            await connection.OpenAsync();
            await using SqliteCommand command = connection.CreateCommand();
            command.CommandText = "SELECT id FROM audit_records";
            await using SqliteDataReader reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                stored.Add(Guid.Parse(reader.GetString(0)));
            }
        }

        Assert.All(returned, id => Assert.Contains(id, stored));
        await using SqliteAuditStore store = _file.Store();
        AuditVerification verification = await new AuditVerifier(store).VerifyAsync();
        Assert.True(verification.IsIntact, verification.ToString());
        Assert.True(verification.RecordsVerified >= ReturnedBeforeKill);
    }
}
