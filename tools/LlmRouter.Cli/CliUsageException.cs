namespace LlmRouter.Cli;

/// <summary>The command line is wrong; the message says how, for a person, and never repeats a connection string.</summary>
internal sealed class CliUsageException(string message) : Exception(message);
