using System.Diagnostics;
using System.Text;

namespace LlmRouter.Samples.Tests.Support;

/// <summary>
/// A program this test run starts — the sample under <c>dotnet run</c>, npm, node — with its output collected, and
/// stopped (with every process it started) when disposed.
/// </summary>
internal sealed class ExternalProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _lock = new();
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Found)> _watches = [];

    private ExternalProcess(Process process) => _process = process;

    /// <summary>Gets everything the program wrote so far, standard output and error interleaved.</summary>
    public string Output
    {
        get
        {
            lock (_lock)
            {
                return _output.ToString();
            }
        }
    }

    public static ExternalProcess Start(string program, IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach ((string name, string? value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        var process = new Process { StartInfo = start };
        var started = new ExternalProcess(process);
        process.OutputDataReceived += (_, e) => started.Append(e.Data);
        process.ErrorDataReceived += (_, e) => started.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return started;
    }

    /// <summary>Runs a program to its end and returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string program, IEnumerable<string> arguments, string workingDirectory, TimeSpan timeout, IReadOnlyDictionary<string, string?>? environment = null)
    {
        await using ExternalProcess process = Start(program, arguments, workingDirectory, environment);
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process._process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"{program} {string.Join(' ', arguments)} did not finish within {timeout}:\n{process.Output}");
        }

        // WaitForExitAsync returns once the redirected streams are drained, so the output is complete.
        return (process._process.ExitCode, process.Output);
    }

    /// <summary>Waits for an output line the predicate accepts, and returns it; fails if the program exits or the time runs out first.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout)
    {
        var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            foreach (string line in _output.ToString().Split('\n'))
            {
                if (match(line))
                {
                    return line;
                }
            }

            _watches.Add((match, found));
        }

        Task exited = _process.WaitForExitAsync();
        Task first = await Task.WhenAny(found.Task, exited, Task.Delay(timeout));
        if (first != found.Task)
        {
            Assert.Fail((first == exited ? "The program exited" : $"Nothing matched within {timeout}") + $":\n{Output}");
        }

        return await found.Task;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    /// <summary>Finds a program on the PATH, or <see langword="null"/>.</summary>
    public static string? Find(string name)
    {
        foreach (string directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(directory, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lock)
        {
            _output.Append(line).Append('\n');
            for (int i = _watches.Count - 1; i >= 0; i--)
            {
                if (_watches[i].Match(line))
                {
                    _watches[i].Found.TrySetResult(line);
                    _watches.RemoveAt(i);
                }
            }
        }
    }
}
