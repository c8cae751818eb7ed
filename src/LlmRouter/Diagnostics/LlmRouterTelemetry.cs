namespace LlmRouter;

/// <summary>The names under which LlmRouter publishes its own spans and metrics.</summary>
/// <remarks>
/// Subscribe with OpenTelemetry's <c>AddSource(LlmRouterTelemetry.ActivitySourceName)</c> and
/// <c>AddMeter(LlmRouterTelemetry.MeterName)</c>. LlmRouter does not emit the <c>gen_ai.*</c> spans and metrics of
/// Microsoft.Extensions.AI's <c>UseOpenTelemetry()</c>; put that on each provider client with
/// <see cref="LlmRouterBuilder.ConfigureProviderClients"/>. The spans, metrics and attributes are listed in
/// <c>docs/observability.md</c>.
/// </remarks>
public static class LlmRouterTelemetry
{
    /// <summary>The name of LlmRouter's <see cref="System.Diagnostics.ActivitySource"/>: <c>LlmRouter</c>.</summary>
    public const string ActivitySourceName = "LlmRouter";

    /// <summary>The name of LlmRouter's <see cref="System.Diagnostics.Metrics.Meter"/>: <c>LlmRouter</c>.</summary>
    public const string MeterName = "LlmRouter";
}
