namespace LlmRouter.Cli;

/// <summary>The <c>llmrouter</c> tool: reads the command, runs it, and turns every failure into a clear message and an exit code — never a stack trace, never a password.</summary>
internal static class CliApp
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            string command = args.Length == 0 ? "help" : args[0];
            ReadOnlySpan<string> rest = args.AsSpan(Math.Min(1, args.Length));
            switch (command)
            {
                case "help" or "--help" or "-h":
                    await output.WriteAsync(CliUsage.Text);
                    return CliExitCodes.Success;
                case "statement":
                    return await StatementCommand.RunAsync(CliArguments.Parse(command, rest, StatementCommand.Flags), output, time, cancellationToken);
                case "report":
                    return await ReportCommand.RunAsync(CliArguments.Parse(command, rest, ReportCommand.Flags), output, time, cancellationToken);
                case "verify":
                    return await VerifyCommand.RunAsync(CliArguments.Parse(command, rest, VerifyCommand.Flags), output, cancellationToken);
                default:
                    throw new CliUsageException(command.AsSpan().IndexOfAny("=;") < 0 && command.Length <= 40
                        ? $"'{command}' is not a command: use statement, report, verify or help."
                        : "the first argument is not a command: use statement, report, verify or help.");
            }
        }
        catch (CliUsageException ex)
        {
            await error.WriteLineAsync("llmrouter: " + ex.Message);
            await error.WriteLineAsync("Run 'llmrouter help' for the commands and options.");
            return CliExitCodes.Usage;
        }
        catch (CliUnavailableException ex)
        {
            await error.WriteLineAsync("llmrouter: " + ex.Message);
            return CliExitCodes.Unavailable;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await error.WriteLineAsync("llmrouter: cancelled.");
            return CliExitCodes.Cancelled;
        }
        catch (Exception ex)
        {
            // Anything else is the store failing mid-read; its message, without a stack trace or a password.
            await error.WriteLineAsync("llmrouter: " + CliErrors.Describe(ex, PostgresConnectionString(args)));
            return CliExitCodes.Unavailable;
        }
    }

    private static string? PostgresConnectionString(string[] args)
    {
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--postgres" && i + 1 < args.Length)
            {
                return args[i + 1];
            }

            if (args[i].StartsWith("--postgres=", StringComparison.Ordinal))
            {
                return args[i]["--postgres=".Length..];
            }
        }

        return null;
    }
}
