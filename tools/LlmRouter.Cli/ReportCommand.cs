using System.Globalization;

namespace LlmRouter.Cli;

/// <summary><c>llmrouter report</c>: writes the HTML report of a period.</summary>
internal static class ReportCommand
{
    public static readonly IReadOnlySet<string> Flags = new HashSet<string>(StringComparer.Ordinal);

    public static async Task<int> RunAsync(CliArguments arguments, TextWriter output, TimeProvider time, CancellationToken cancellationToken)
    {
        CliPeriod period = CliPeriod.Parse(arguments, TimeZoneInfo.Utc, time);
        string? key = arguments.Value("--key");
        string? tenant = arguments.Value("--tenant");
        BudgetScope clients = arguments.Value("--clients") switch
        {
            null or "key" => BudgetScope.Key,
            "tenant" => BudgetScope.Tenant,
            _ => throw new CliUsageException("--clients is key or tenant."),
        };
        int top = AuditReportRequest.DefaultTopClients;
        if (arguments.Value("--top") is { } topText && (!int.TryParse(topText, NumberStyles.None, CultureInfo.InvariantCulture, out top) || top is < 1 or > 50))
        {
            throw new CliUsageException($"--top '{topText}' is not a number from 1 to 50.");
        }

        string title = arguments.Value("--title") ?? $"{AuditReportRequest.DefaultTitle} · {period.Name}";
        string path = arguments.Value("--out") ?? $"llmrouter-report-{period.Name}.html";
        (string? Sqlite, string? Postgres) storeChoice = AuditStoreConnection.Choose(arguments);
        arguments.RejectUnknown();

        var request = new AuditReportRequest { From = period.From, To = period.To, TimeZone = period.Zone, Key = key, Tenant = tenant, Clients = clients, TopClients = top, Title = title };
        await using AuditStoreConnection store = await AuditStoreConnection.OpenAsync(storeChoice, cancellationToken);
        await using (StreamWriter html = StatementCommand.Create(path))
        {
            await new AuditReports(store.Query, time).WriteHtmlAsync(request, html, cancellationToken);
        }

        await output.WriteLineAsync($"Report of {period.FirstDay:yyyy-MM-dd} to {period.LastDay:yyyy-MM-dd} ({period.Zone.Id}) from the {store.Description}: {Path.GetFullPath(path)}");
        return CliExitCodes.Success;
    }
}
