namespace LlmRouter.Cli;

/// <summary>The tool's exit codes, documented in <c>docs/reports.md</c>.</summary>
internal static class CliExitCodes
{
    /// <summary>Done.</summary>
    public const int Success = 0;

    /// <summary><c>verify</c> found a chain altered, removed, inserted or re-ordered.</summary>
    public const int NotIntact = 1;

    /// <summary>The command line is wrong: unknown command or option, a missing or bad value.</summary>
    public const int Usage = 2;

    /// <summary>The store could not be reached or read, or a file could not be read or written.</summary>
    public const int Unavailable = 3;

    /// <summary>Cancelled (Ctrl+C).</summary>
    public const int Cancelled = 130;
}
