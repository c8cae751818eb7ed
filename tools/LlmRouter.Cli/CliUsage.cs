namespace LlmRouter.Cli;

/// <summary>The help text.</summary>
internal static class CliUsage
{
    public const string Text = """
        llmrouter — statements, CSV exports, the HTML report and the verification of an LlmRouter audit log.

        Usage:
          llmrouter statement STORE CLIENT [PERIOD] [--config appsettings.json] [--csv FILE] [--rows-csv FILE]
          llmrouter report    STORE [PERIOD] [--key ID | --tenant NAME] [--clients key|tenant] [--top N] [--title TEXT] [--out FILE]
          llmrouter verify    STORE
          llmrouter help

        STORE    --sqlite FILE | --postgres "Host=...;Database=...;Username=...;Password=..."
        CLIENT   --key ID | --tenant NAME | --all
        PERIOD   --month 2026-11 | --from 2026-11-01 --to 2026-11-30 (local days, both included); the previous month by default
                 --time-zone Europe/Zurich   the calendar of the period (default: LlmRouter:Budgets:TimeZone of --config, else UTC)

        statement  prints what the client spent: a line per served model and unit prices, refusals at no cost, the budgets of
                   --config against what was spent, the total; --csv writes the statement as CSV, --rows-csv its request rows.
        report     writes a self-contained HTML report of the period (default file: llmrouter-report-PERIOD.html).
        verify     verifies every hash chain of the audit log.

        Exit codes: 0 done, 1 verify found a problem, 2 wrong command line, 3 the store or a file could not be used.
        Documented in docs/reports.md.
        """;
}
