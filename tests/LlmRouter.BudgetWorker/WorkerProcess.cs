using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace LlmRouter.BudgetWorker;

/// <summary>Starts a <see cref="Worker"/> as a separate OS process and talks to it, for the store tests.</summary>
public sealed partial class WorkerProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _errors = [];

    private WorkerProcess(Process process)
    {
        _process = process;
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_errors)
                {
                    _errors.Add(e.Data);
                }
            }
        };
        _process.BeginErrorReadLine();
    }

    /// <summary>Gets what the worker wrote to its error stream.</summary>
    public string Errors
    {
        get
        {
            lock (_errors)
            {
                return string.Join(Environment.NewLine, _errors);
            }
        }
    }

    /// <summary>Starts a worker and waits until it is ready (its router built, its store reachable).</summary>
    public static async Task<WorkerProcess> StartAsync(string store, string connectionString, decimal limit, int requests = 0, int concurrency = 1, bool hold = false)
    {
        string worker = Path.Combine(AppContext.BaseDirectory, "LlmRouter.BudgetWorker.dll");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in (string[])["exec", worker, "--store", store, "--connection", connectionString, "--limit", limit.ToString(CultureInfo.InvariantCulture),
                     "--requests", requests.ToString(CultureInfo.InvariantCulture), "--concurrency", concurrency.ToString(CultureInfo.InvariantCulture)])
        {
            start.ArgumentList.Add(argument);
        }

        if (hold)
        {
            start.ArgumentList.Add("--hold");
        }

        var started = new WorkerProcess(Process.Start(start) ?? throw new InvalidOperationException("Could not start the budget worker."));
        await started.ExpectAsync("ready");
        return started;
    }

    /// <summary>Lets the worker run.</summary>
    public Task GoAsync() => _process.StandardInput.WriteLineAsync("go");

    /// <summary>Waits for the worker to print a line.</summary>
    public async Task<string> ExpectAsync(string prefix)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (true)
        {
            string? line = await _process.StandardOutput.ReadLineAsync(timeout.Token);
            if (line is null)
            {
                await _process.WaitForExitAsync(timeout.Token);
                throw new InvalidOperationException($"The budget worker exited with code {_process.ExitCode} before printing '{prefix}': {Errors}");
            }

            if (line.StartsWith(prefix, StringComparison.Ordinal))
            {
                return line;
            }
        }
    }

    /// <summary>Waits for the worker's result line and exit.</summary>
    public async Task<(int Served, int Refused, int Failed)> ResultAsync()
    {
        Match result = ResultLine().Match(await ExpectAsync("served="));
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await _process.WaitForExitAsync(timeout.Token);
        return (Number(result, 1), Number(result, 2), Number(result, 3));
    }

    /// <summary>Kills the worker at once, as a crash would: nothing it held is released.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Kill();
        }

        _process.Dispose();
    }

    private static int Number(Match match, int group) => int.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^served=(\d+) refused=(\d+) failed=(\d+)$")]
    private static partial Regex ResultLine();
}
