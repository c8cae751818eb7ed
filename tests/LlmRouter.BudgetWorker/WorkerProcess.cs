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
    /// <param name="store"><c>sqlite</c> or <c>postgres</c>.</param>
    /// <param name="connectionString">The store's connection string.</param>
    /// <param name="limit">The key's total budget in USD.</param>
    /// <param name="requests">The requests (or, with <paramref name="untilSpent"/>, the callers) it starts all at once.</param>
    /// <param name="untilSpent">Whether each caller asks again until the budget is used up by committed spend alone.</param>
    /// <param name="inputPriced">Whether a request's worst case (<see cref="Worker.PricedWorstCase"/>) exceeds its cost (<see cref="Worker.PricedCost"/>).</param>
    /// <param name="hold">Whether to send one request that holds its reservation until the worker is killed.</param>
    public static async Task<WorkerProcess> StartAsync(string store, string connectionString, decimal limit, int requests = 0, bool untilSpent = false, bool inputPriced = false, bool hold = false)
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
                     "--requests", requests.ToString(CultureInfo.InvariantCulture)])
        {
            start.ArgumentList.Add(argument);
        }

        foreach ((bool on, string flag) in (ReadOnlySpan<(bool, string)>)[(untilSpent, "--until-spent"), (inputPriced, "--input-priced"), (hold, "--hold")])
        {
            if (on)
            {
                start.ArgumentList.Add(flag);
            }
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
    public async Task<WorkerResult> ResultAsync()
    {
        Match result = ResultLine().Match(await ExpectAsync("served="));
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await _process.WaitForExitAsync(timeout.Token);
        return new WorkerResult(Number(result, 1), Number(result, 2), Number(result, 3), Number(result, 4));
    }

    /// <summary>Starts three workers on one store, lets them go together, and returns what each did.</summary>
    public static async Task<WorkerResult[]> RunThreeAsync(string store, string connectionString, decimal limit, int requests, bool untilSpent = false, bool inputPriced = false)
    {
        var workers = new List<WorkerProcess>();
        try
        {
            for (int i = 0; i < 3; i++)
            {
                workers.Add(await StartAsync(store, connectionString, limit, requests, untilSpent, inputPriced));
            }

            await Task.WhenAll(workers.Select(w => w.GoAsync()));
            WorkerResult[] results = await Task.WhenAll(workers.Select(w => w.ResultAsync()));
            foreach ((WorkerProcess worker, WorkerResult result) in workers.Zip(results))
            {
                if (result.Failed > 0)
                {
                    throw new InvalidOperationException($"A budget worker had {result.Failed} failed request(s): {worker.Errors}");
                }
            }

            return results;
        }
        finally
        {
            workers.ForEach(w => w.Dispose());
        }
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

    [GeneratedRegex(@"^served=(\d+) refused=(\d+) failed=(\d+) peak=(\d+)$")]
    private static partial Regex ResultLine();
}
