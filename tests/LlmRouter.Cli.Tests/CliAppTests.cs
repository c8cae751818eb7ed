using System.Net;
using System.Net.Sockets;
using LlmRouter.Cli.Tests.Support;

namespace LlmRouter.Cli.Tests;

/// <summary>The command line: help, and clear errors with exit codes for what is wrong — never a stack trace, never a password.</summary>
public sealed class CliAppTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Help_lists_the_commands()
    {
        (int code, string output, _) = await Tool.RunAsync("help");

        Assert.Equal(0, code);
        Assert.Contains("llmrouter statement", output, StringComparison.Ordinal);
        Assert.Contains("llmrouter report", output, StringComparison.Ordinal);
        Assert.Contains("llmrouter verify", output, StringComparison.Ordinal);
        Assert.Equal(0, (await Tool.RunAsync()).Code);
    }

    [Theory]
    [InlineData("2", "frobnicate is not a command", "frobnicate")]
    [InlineData("2", "--month '2026-13' is not a month", "statement", "--sqlite", "x.db", "--key", "k", "--month", "2026-13")]
    [InlineData("2", "--from '2026-11-31' is not a date", "report", "--sqlite", "x.db", "--from", "2026-11-31", "--to", "2026-12-01")]
    [InlineData("2", "--to (2026-11-01) is before --from (2026-11-30)", "report", "--sqlite", "x.db", "--from", "2026-11-30", "--to", "2026-11-01")]
    [InlineData("2", "give both --from and --to", "report", "--sqlite", "x.db", "--from", "2026-11-30")]
    [InlineData("2", "give either --month or --from and --to", "report", "--sqlite", "x.db", "--month", "2026-11", "--from", "2026-11-30", "--to", "2026-11-30")]
    [InlineData("2", "is not a time zone", "report", "--sqlite", "x.db", "--time-zone", "Mars/Olympus")]
    [InlineData("2", "give the audit store", "verify")]
    [InlineData("2", "give the audit store", "verify", "--sqlite", "a.db", "--postgres", "Host=x")]
    [InlineData("2", "give the client", "statement", "--sqlite", "x.db")]
    [InlineData("2", "'--colour' is not an option of 'report'", "report", "--sqlite", "x.db", "--colour", "blue")]
    [InlineData("2", "--key needs a value", "statement", "--sqlite", "x.db", "--key")]
    [InlineData("2", "--top '0' is not a number from 1 to 50", "report", "--sqlite", "x.db", "--top", "0")]
    public async Task A_wrong_command_line_is_refused_with_a_clear_message(string code, string message, params string[] args)
    {
        (int exit, string output, string error) = await Tool.RunAsync(args);

        Assert.Equal(int.Parse(code, System.Globalization.CultureInfo.InvariantCulture), exit);
        Assert.Contains(message.Replace("frobnicate is", "'frobnicate' is", StringComparison.Ordinal), error, StringComparison.Ordinal);
        Assert.StartsWith("llmrouter: ", error, StringComparison.Ordinal);
        Assert.Contains("llmrouter help", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.Empty(output);
    }

    [Fact]
    public async Task A_missing_sqlite_file_is_an_error_and_is_not_created()
    {
        string missing = _directory.File("missing.db");

        (int code, _, string error) = await Tool.RunAsync("verify", "--sqlite", missing);

        Assert.Equal(3, code);
        Assert.Equal($"llmrouter: there is no SQLite file at {missing}.{Environment.NewLine}", error);
        Assert.False(File.Exists(missing));
    }

    [Fact]
    public async Task An_unreachable_postgres_server_is_an_error_that_never_shows_the_password()
    {
        int port = ClosedPort();
        string connection = $"Host=127.0.0.1;Port={port};Database=audit;Username=finance;Password=Sup3r-s3cret-pw;Timeout=3";

        foreach (string[] args in new[] { new[] { "verify", "--postgres", connection }, ["statement", "--postgres=" + connection, "--all", "--month", "2026-11"], ["report", "--postgres", connection] })
        {
            (int code, string output, string error) = await Tool.RunAsync(args);

            Assert.Equal(3, code);
            Assert.Contains($"cannot read the audit log in the PostgreSQL database audit on 127.0.0.1:{port}", error, StringComparison.Ordinal);
            Assert.DoesNotContain("Sup3r-s3cret-pw", error + output, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_connection_string_in_the_wrong_place_or_that_cannot_be_parsed_is_never_echoed()
    {
        (int code, _, string error) = await Tool.RunAsync("verify", "Host=db;Password=Sup3r-s3cret-pw");
        (int parse, _, string unparsed) = await Tool.RunAsync("verify", "--postgres", "Host=db;Pasword=Sup3r-s3cret-pw;=;");

        Assert.Equal(2, code);
        Assert.Equal(2, parse);
        Assert.DoesNotContain("Sup3r-s3cret-pw", error + unparsed, StringComparison.Ordinal);
        Assert.Contains("cannot be parsed", unparsed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_configuration_file_that_is_missing_or_not_json_is_an_error()
    {
        string file = await Tool.AuditFileAsync(_directory.Path, 50);
        string broken = _directory.File("appsettings.json");
        await File.WriteAllTextAsync(broken, "{ \"LlmRouter\": { ");

        (int missing, _, string missingError) = await Tool.RunAsync("statement", "--sqlite", file, "--all", "--config", _directory.File("nope.json"));
        (int invalid, _, string invalidError) = await Tool.RunAsync("statement", "--sqlite", file, "--all", "--config", broken);

        Assert.Equal(3, missing);
        Assert.Contains("there is no configuration file at", missingError, StringComparison.Ordinal);
        Assert.Equal(3, invalid);
        Assert.Contains("cannot read the configuration file", invalidError, StringComparison.Ordinal);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
