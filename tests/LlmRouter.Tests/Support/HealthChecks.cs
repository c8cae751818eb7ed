using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LlmRouter.Tests.Support;

/// <summary>Runs one of LlmRouter's health checks through the host's <see cref="HealthCheckService"/>, as a health endpoint would.</summary>
internal static class HealthChecks
{
    /// <summary>Registers <c>AddLlmRouterChecks()</c> on the router's services.</summary>
    public static LlmRouterBuilder WithHealthChecks(this LlmRouterBuilder builder)
    {
        builder.Services.AddLogging().AddHealthChecks().AddLlmRouterChecks();
        return builder;
    }

    public static async Task<HealthReportEntry> CheckAsync(IServiceProvider services, string name)
    {
        HealthReport report = await services.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => r.Name == name);
        return report.Entries[name];
    }
}
