using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace LlmRouter.Benchmarks;

/// <summary>
/// A PostgreSQL server for a benchmark run: the one <c>LLMROUTER_BENCH_POSTGRES</c> names, else one started from the
/// machine's <c>initdb</c>/<c>pg_ctl</c> in a temporary directory on a free loopback port (durable settings: fsync on).
/// </summary>
internal sealed class ThrowawayPostgres : IDisposable
{
    private readonly string? _directory;
    private readonly string? _binaries;

    private ThrowawayPostgres(string connectionString, string? directory, string? binaries)
    {
        ConnectionString = connectionString;
        _directory = directory;
        _binaries = binaries;
    }

    public string ConnectionString { get; }

    public static ThrowawayPostgres Start()
    {
        if (Environment.GetEnvironmentVariable("LLMROUTER_BENCH_POSTGRES") is { Length: > 0 } given)
        {
            return new ThrowawayPostgres(given, null, null);
        }

        string binaries = FindBinaries() ?? throw new InvalidOperationException(
            "No PostgreSQL server is available for the benchmark: install the PostgreSQL server binaries (initdb, pg_ctl) or set LLMROUTER_BENCH_POSTGRES to a connection string.");
        string directory = Directory.CreateTempSubdirectory("llmrouter-bench-pg-").FullName;
        bool asPostgres = Environment.UserName == "root";
        if (asPostgres)
        {
            Run("chown", $"-R postgres:postgres {directory}", asPostgres: false);
        }

        int port = FreePort();
        Run(Path.Combine(binaries, "initdb"), $"-D {directory}/data -A trust -U llmrouter -E UTF8 --locale=C.UTF-8", asPostgres);
        Run(Path.Combine(binaries, "pg_ctl"), $"-D {directory}/data -o \"-p {port} -k {directory} -c listen_addresses=127.0.0.1\" -l {directory}/log -w -t 60 start", asPostgres);
        return new ThrowawayPostgres($"Host=127.0.0.1;Port={port};Username=llmrouter;Database=postgres", directory, binaries);
    }

    public void Dispose()
    {
        if (_directory is null)
        {
            return;
        }

        Run(Path.Combine(_binaries!, "pg_ctl"), $"-D {_directory}/data -m fast -w stop", Environment.UserName == "root");
        Directory.Delete(_directory, recursive: true);
    }

    private static string? FindBinaries()
    {
        string[] versions = Directory.Exists("/usr/lib/postgresql") ? Directory.GetDirectories("/usr/lib/postgresql") : [];
        foreach (string version in versions.OrderDescending(StringComparer.Ordinal))
        {
            if (File.Exists(Path.Combine(version, "bin", "pg_ctl")))
            {
                return Path.Combine(version, "bin");
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

    private static void Run(string program, string arguments, bool asPostgres)
    {
        ProcessStartInfo start = asPostgres ? new("runuser", $"-u postgres -- {program} {arguments}") : new(program, arguments);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using Process process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(program)} failed: {output}");
        }
    }
}
