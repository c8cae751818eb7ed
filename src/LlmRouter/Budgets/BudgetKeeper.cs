using Microsoft.Extensions.Logging;

namespace LlmRouter;

/// <summary>What every request's budget needs and shares: the store, the clock, the soft-limit callbacks, the logger, the counters and the telemetry.</summary>
internal sealed class BudgetKeeper
{
    public BudgetKeeper(IBudgetStore store, IReadOnlyList<BudgetSoftLimitCallback> callbacks, TimeProvider timeProvider, ILogger logger, BudgetStatistics statistics, RouterTelemetry? telemetry = null)
    {
        Store = store;
        Statistics = statistics;
        Callbacks = callbacks;
        Time = timeProvider;
        Logger = logger;
        Telemetry = telemetry;
    }

    public IBudgetStore Store { get; }

    public BudgetStatistics Statistics { get; }

    public IReadOnlyList<BudgetSoftLimitCallback> Callbacks { get; }

    public TimeProvider Time { get; }

    public ILogger Logger { get; }

    /// <summary>Gets the router's telemetry, whose remaining-budget gauges take in each settlement.</summary>
    public RouterTelemetry? Telemetry { get; }

    /// <summary>Logs that a soft limit was reached and runs the callbacks; a failing callback is logged, never thrown into the request.</summary>
    public async ValueTask SoftLimitReachedAsync(BudgetSoftLimitArguments arguments)
    {
        BudgetLog.SoftLimitReached(Logger, arguments.Scope, arguments.Model ?? "all models", arguments.Period, arguments.PeriodStart, arguments.Spent, arguments.SoftLimit, arguments.Limit);
        foreach (BudgetSoftLimitCallback callback in Callbacks)
        {
            try
            {
                await callback.Callback(arguments).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                BudgetLog.SoftLimitCallbackFailed(Logger, ex);
            }
        }
    }
}
