using LlmRouter.Cli.Tests.Support;
using Microsoft.Data.Sqlite;

namespace LlmRouter.Cli.Tests;

/// <summary><c>llmrouter verify</c> against a SQLite audit file.</summary>
public sealed class VerifyCommandTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task An_intact_log_verifies_and_an_altered_one_fails_with_exit_code_1()
    {
        string file = await Tool.AuditFileAsync(_directory.Path, 200);

        (int intact, string output, _) = await Tool.RunAsync("verify", "--sqlite", file);
        await using (var connection = new SqliteConnection("Data Source=" + file))
        {
            await connection.OpenAsync();
            await using SqliteCommand command = connection.CreateCommand();
            command.CommandText = "UPDATE audit_records SET cost = '0' WHERE seq = 17";
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }

        (int altered, string report, _) = await Tool.RunAsync("verify", "--sqlite", file);

        Assert.Equal(0, intact);
        Assert.Contains("Verified: 200 record(s) in 1 chain(s)", output, StringComparison.Ordinal);
        Assert.Equal(1, altered);
        Assert.Contains("NOT intact: Altered at chain", report, StringComparison.Ordinal);
        Assert.Contains("#17", report, StringComparison.Ordinal);
    }
}
