using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using BenchmarkDotNet.Running;

namespace LlmRouter.Benchmarks;

/// <summary>
/// The PostgreSQL server a benchmark writes to: the one named by <c>LLMROUTER_BENCH_POSTGRES</c> (a connection string),
/// else a throwaway server started from the machine's <c>initdb</c>/<c>pg_ctl</c> with default durability settings
/// (fsync on), else none — then <see cref="Program"/> leaves the PostgreSQL cases out of the run and says so, and a
/// PostgreSQL case run anyway fails in its setup with that message rather than print a row that measured nothing.
/// </summary>
internal sealed class BenchPostgres : IDisposable
{
    public const string Variable = "LLMROUTER_BENCH_POSTGRES";

    /// <summary>The category of the benchmarks that need a PostgreSQL server (a case is also one when a parameter's value is <c>PostgreSQL</c>).</summary>
    public const string Category = "PostgreSQL";

    /// <summary>Why the PostgreSQL cases cannot run on this machine.</summary>
    public const string Missing = $"No PostgreSQL server: set {Variable} to a connection string, or install the postgresql package (initdb, pg_ctl). The PostgreSQL benchmarks are skipped.";

    private readonly string? _directory;
    private readonly string? _binaries;
    private readonly bool _asPostgres = Environment.UserName == "root";

    private BenchPostgres(string connectionString, string? directory, string? binaries)
    {
        ConnectionString = connectionString;
        _directory = directory;
        _binaries = binaries;
    }

    /// <summary>Gets the connection string.</summary>
    public string ConnectionString { get; }

    /// <summary>Gets whether a server can be had: one is named, or the binaries to start one are installed.</summary>
    public static bool IsAvailable => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } || FindBinaries() is not null;

    /// <summary>Gets whether a benchmark case needs a PostgreSQL server.</summary>
    public static bool Needs(BenchmarkCase benchmark) =>
        benchmark.Descriptor.HasCategory(Category) || benchmark.Parameters.Items.Any(p => Equals(p.Value, Category));

    /// <summary>Starts (or names) the server.</summary>
    /// <exception cref="InvalidOperationException">No server can be had: the message says how to get one.</exception>
    public static BenchPostgres Start()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } given)
        {
            return new BenchPostgres(given, null, null);
        }

        string binaries = FindBinaries() ?? throw new InvalidOperationException(Missing);

        int port = FreePort();
        var bench = new BenchPostgres($"Host=127.0.0.1;Port={port};Username=llmrouter;Database=postgres", Directory.CreateTempSubdirectory("llmrouter-bench-pg-").FullName, binaries);
        if (bench._asPostgres)
        {
            Run("chown", $"-R postgres:postgres {bench._directory}", asPostgres: false);
        }

        Run(Path.Combine(binaries, "initdb"), $"-D {bench._directory}/data -A trust -U llmrouter -E UTF8 --locale=C.UTF-8", bench._asPostgres);
        Run(Path.Combine(binaries, "pg_ctl"), $"-D {bench._directory}/data -o \"-p {port} -k {bench._directory} -c listen_addresses=127.0.0.1\" -l {bench._directory}/log -w start", bench._asPostgres);
        return bench;
    }

    public void Dispose()
    {
        if (_directory is null)
        {
            return;
        }

        Run(Path.Combine(_binaries!, "pg_ctl"), $"-D {_directory}/data -m fast -w stop", _asPostgres);
        Directory.Delete(_directory, recursive: true);
    }

    private static string? FindBinaries() =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").OrderDescending(StringComparer.Ordinal).Select(d => Path.Combine(d, "bin")).FirstOrDefault(b => File.Exists(Path.Combine(b, "pg_ctl")))
            : null;

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
