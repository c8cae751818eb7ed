using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace LlmRouter.Postgres.Tests.Support;

/// <summary>
/// A throwaway PostgreSQL server for the tests: started from the machine's <c>initdb</c> and <c>pg_ctl</c> in a
/// temporary directory on a free loopback port, and removed afterwards. When <c>LLMROUTER_TEST_POSTGRES</c> holds a
/// connection string, that server is used instead. A test that cannot get a server fails — it never skips.
/// </summary>
/// <remarks>Each test asks for its own database (<see cref="CreateDatabaseAsync"/>), so tests never see each other's rows.</remarks>
public sealed class PostgresServer : IAsyncLifetime
{
    public const string ConnectionStringVariable = "LLMROUTER_TEST_POSTGRES";
    private const string User = "llmrouter";

    private readonly bool _runAsPostgresUser = Environment.UserName == "root";
    private string? _directory;
    private string? _binaries;
    private int _port;
    private string? _external;

    /// <summary>Gets the connection string of the server's maintenance database.</summary>
    public string AdminConnectionString => _external ?? $"Host=127.0.0.1;Port={_port};Username={User};Database=postgres;Pooling=false";

    /// <summary>Gets whether this fixture started (and can stop and restart) the server itself.</summary>
    public bool IsOwned => _external is null;

    public async Task InitializeAsync()
    {
        _external = Environment.GetEnvironmentVariable(ConnectionStringVariable);
        if (_external is not null)
        {
            return;
        }

        _binaries = FindBinaries() ?? throw new InvalidOperationException(
            "PostgreSQL server binaries (initdb, pg_ctl) were not found. Install the 'postgresql' package (.ci/run does), or set " +
            ConnectionStringVariable + " to a server's connection string.");
        _directory = Directory.CreateTempSubdirectory("llmrouter-pg-").FullName;
        _port = FreePort();
        if (_runAsPostgresUser)
        {
            await RunAsync("chown", $"-R postgres:postgres {_directory}", asPostgres: false);
        }

        await RunAsync(Path.Combine(_binaries, "initdb"), $"-D {_directory}/data -A trust -U {User} -E UTF8 --locale=C.UTF-8 --no-sync", asPostgres: _runAsPostgresUser);
        await StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_directory is null)
        {
            return;
        }

        await StopAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
    }

    /// <summary>Starts (or restarts) the server and waits until it accepts connections.</summary>
    public async Task StartAsync()
    {
        EnsureOwned();

        // fsync off: these are test databases; the durability under test is the client's, not the disk's.
        string options = $"-p {_port} -k {_directory} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=200";
        await RunAsync(Path.Combine(_binaries!, "pg_ctl"), $"-D {_directory}/data -o \"{options}\" -l {_directory}/log -w -t 60 start", asPostgres: _runAsPostgresUser);
    }

    /// <summary>Stops the server at once, as an outage would.</summary>
    public async Task StopAsync()
    {
        EnsureOwned();
        await RunAsync(Path.Combine(_binaries!, "pg_ctl"), $"-D {_directory}/data -m immediate -w -t 60 stop", asPostgres: _runAsPostgresUser, allowFailure: true);
    }

    /// <summary>Creates an empty database for one test and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string? prefix = null)
    {
        string name = (prefix ?? "test") + "_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name, Pooling = true }.ConnectionString;
    }

    private void EnsureOwned()
    {
        if (!IsOwned)
        {
            throw new InvalidOperationException("This server was given through " + ConnectionStringVariable + "; the tests cannot stop or start it.");
        }
    }

    private static string? FindBinaries()
    {
        foreach (string candidate in Directory.Exists("/usr/lib/postgresql") ? Directory.GetDirectories("/usr/lib/postgresql").OrderDescending(StringComparer.Ordinal).ToArray() : [])
        {
            string bin = Path.Combine(candidate, "bin");
            if (File.Exists(Path.Combine(bin, "initdb")) && File.Exists(Path.Combine(bin, "pg_ctl")))
            {
                return bin;
            }
        }

        foreach (string directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            if (File.Exists(Path.Combine(directory, "initdb")) && File.Exists(Path.Combine(directory, "pg_ctl")))
            {
                return directory;
            }
        }

        return null;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string program, string arguments, bool asPostgres, bool allowFailure = false)
    {
        var start = asPostgres
            ? new ProcessStartInfo("runuser", $"-u postgres -- {program} {arguments}")
            : new ProcessStartInfo(program, arguments);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0 && !allowFailure)
        {
            throw new InvalidOperationException($"{Path.GetFileName(program)} failed with exit code {process.ExitCode}: {await error}{await output}");
        }
    }
}
