namespace LlmRouter.Bench;

/// <summary>What every bench program does around its run: read its options, say what it runs and where, and turn a usage error or a failure into an exit code.</summary>
internal static class BenchProgram
{
    /// <summary>The exit code of a run whose audit log is complete.</summary>
    public const int Complete = 0;

    /// <summary>The exit code of a run whose audit log is not complete.</summary>
    public const int Incomplete = 1;

    /// <summary>The exit code of a usage error.</summary>
    public const int UsageError = 2;

    /// <summary>The exit code of a run that failed: a call threw, or the router did not start.</summary>
    public const int Failed = 3;

    /// <summary>Reads the options, writes the run's title and the machine, and runs.</summary>
    /// <typeparam name="TSettings">The program's settings.</typeparam>
    /// <param name="args">The program's arguments.</param>
    /// <param name="usage">The usage text, printed after a usage error.</param>
    /// <param name="read">Reads the settings; throws <see cref="FormatException"/> for a usage error.</param>
    /// <param name="title">Describes the run in one line.</param>
    /// <param name="run">The run; returns <see cref="Complete"/> or <see cref="Incomplete"/>.</param>
    /// <returns>The exit code.</returns>
    public static async Task<int> RunAsync<TSettings>(string[] args, string usage, Func<CommandLine, TSettings> read, Func<TSettings, string> title, Func<TSettings, TextWriter, Task<int>> run)
    {
        TSettings settings;
        try
        {
            var line = new CommandLine(args);
            settings = read(line);
            line.RejectUnknown();
        }
        catch (FormatException ex)
        {
            Console.Error.WriteLine(ex.Message);
            Console.Error.WriteLine(usage);
            return UsageError;
        }

        TextWriter output = Console.Out;
        output.WriteLine(title(settings));
        LoadReport.Environment(output);
        try
        {
            return await run(settings, output);
        }
        catch (Exception ex)
        {
            Console.Error.WriteLine("The run failed: " + ex);
            return Failed;
        }
    }
}
