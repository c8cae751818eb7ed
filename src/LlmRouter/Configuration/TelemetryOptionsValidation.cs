namespace LlmRouter;

internal static class TelemetryOptionsValidation
{
    private static readonly TimeSpan MinRefresh = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxRefresh = TimeSpan.FromHours(1);

    public static void Validate(LlmRouterOptions options, ConfigurationErrors errors)
    {
        string path = errors.Path("Telemetry");
        if (options.Telemetry is not { } telemetry)
        {
            errors.Add(path, "is empty");
            return;
        }

        if (telemetry.BudgetRefreshInterval < MinRefresh || telemetry.BudgetRefreshInterval > MaxRefresh)
        {
            errors.Add(path + ":BudgetRefreshInterval", $"must be from {MinRefresh} to {MaxRefresh}, not {telemetry.BudgetRefreshInterval}");
        }
    }
}
