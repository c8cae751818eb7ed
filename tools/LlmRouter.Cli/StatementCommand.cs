using System.Text;

namespace LlmRouter.Cli;

/// <summary><c>llmrouter statement</c>: prints a client's statement of a period, and writes its CSV exports.</summary>
internal static class StatementCommand
{
    public static readonly IReadOnlySet<string> Flags = new HashSet<string>(StringComparer.Ordinal) { "--all" };

    public static async Task<int> RunAsync(CliArguments arguments, TextWriter output, TimeProvider time, CancellationToken cancellationToken)
    {
        LlmRouterOptions? options = CliConfiguration.Load(arguments.Value("--config"));
        CliPeriod period = CliPeriod.Parse(arguments, CliConfiguration.Zone(options), time);
        string? key = arguments.Value("--key");
        string? tenant = arguments.Value("--tenant");
        bool all = arguments.Flag("--all");
        if ((key is null ? 0 : 1) + (tenant is null ? 0 : 1) + (all ? 1 : 0) != 1)
        {
            throw new CliUsageException("give the client: --key ID, --tenant NAME or --all (one of them).");
        }

        string? csv = arguments.Value("--csv");
        string? rowsCsv = arguments.Value("--rows-csv");
        (string? Sqlite, string? Postgres) storeChoice = AuditStoreConnection.Choose(arguments);
        arguments.RejectUnknown();

        var request = new SpendStatementRequest
        {
            Scope = key is not null ? BudgetScope.Key : tenant is not null ? BudgetScope.Tenant : BudgetScope.Global,
            Name = key ?? tenant,
            FirstDay = period.FirstDay,
            LastDay = period.LastDay,
            TimeZone = period.Zone,
        };
        await using AuditStoreConnection store = await AuditStoreConnection.OpenAsync(storeChoice, cancellationToken);
        var statements = new SpendStatements(store.Query, options, time);
        SpendStatement statement;
        if (rowsCsv is not null)
        {
            await using StreamWriter rows = Create(rowsCsv);
            statement = await statements.WriteRowsCsvAsync(request, rows, cancellationToken);
        }
        else
        {
            statement = await statements.GetAsync(request, cancellationToken);
        }

        if (csv is not null)
        {
            await using StreamWriter writer = Create(csv);
            await statement.WriteCsvAsync(writer, cancellationToken);
        }

        await output.WriteAsync(StatementText.Format(statement, options is not null));
        if (csv is not null)
        {
            await output.WriteLineAsync("Statement CSV: " + Path.GetFullPath(csv));
        }

        if (rowsCsv is not null)
        {
            await output.WriteLineAsync("Request rows CSV: " + Path.GetFullPath(rowsCsv));
        }

        return CliExitCodes.Success;
    }

    /// <summary>A UTF-8 file (no byte-order mark), replaced if it exists.</summary>
    public static StreamWriter Create(string path)
    {
        try
        {
            return new StreamWriter(path, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new CliUnavailableException($"cannot write {Path.GetFullPath(path)}: {ex.Message}");
        }
    }
}
