using Microsoft.Extensions.Configuration;

namespace LlmRouter.Cli;

/// <summary>Reads the <c>LlmRouter</c> section of an application's <c>appsettings.json</c> (<c>--config</c>): the budgets a statement compares with, and their time zone.</summary>
internal static class CliConfiguration
{
    public static LlmRouterOptions? Load(string? path)
    {
        if (path is null)
        {
            return null;
        }

        string full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new CliUnavailableException($"there is no configuration file at {full}.");
        }

        try
        {
            IConfigurationRoot root = new ConfigurationBuilder().AddJsonFile(full, optional: false, reloadOnChange: false).Build();
            IConfigurationSection section = root.GetSection(LlmRouterOptions.SectionName);
            if (!section.Exists())
            {
                throw new CliUnavailableException($"{full} has no '{LlmRouterOptions.SectionName}' section.");
            }

            var options = new LlmRouterOptions();
            section.Bind(options);
            if (!BudgetCalendar.TryFindZone(options.Budgets.TimeZone, out _))
            {
                throw new CliUnavailableException($"{full}: LlmRouter:Budgets:TimeZone '{options.Budgets.TimeZone}' is not an IANA time zone this machine knows.");
            }

            return options;
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException or InvalidDataException)
        {
            throw new CliUnavailableException($"cannot read the configuration file {full}: {ex.Message}");
        }
    }

    /// <summary>The budgets' time zone (<c>LlmRouter:Budgets:TimeZone</c>), or UTC.</summary>
    public static TimeZoneInfo Zone(LlmRouterOptions? options) =>
        BudgetCalendar.TryFindZone(options?.Budgets.TimeZone, out TimeZoneInfo? zone) ? zone : TimeZoneInfo.Utc;
}
