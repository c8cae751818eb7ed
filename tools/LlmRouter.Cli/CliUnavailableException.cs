namespace LlmRouter.Cli;

/// <summary>The store or a file could not be used; the message says which and why, without any secret.</summary>
internal sealed class CliUnavailableException(string message) : Exception(message);
