using Microsoft.Extensions.Logging;

namespace LlmRouter;

/// <summary>The budget layer's log lines. They name scopes, models, periods and amounts — never a key id or a tenant.</summary>
/// <remarks>Event ids 1400–1499; the ranges of every area are listed on <see cref="RouterLog"/>.</remarks>
internal static partial class BudgetLog
{
    [LoggerMessage(1401, LogLevel.Debug, "Budget refused a call to {Model} via {Deployment}: the {Scope} budget ({Limited}) has {Spent} USD spent and {Reserved} USD reserved of {Limit} USD; the call needed {Requested} USD")]
    public static partial void Refused(ILogger logger, string model, string deployment, BudgetScope scope, string limited, decimal spent, decimal reserved, decimal limit, decimal requested);

    [LoggerMessage(1402, LogLevel.Warning, "Budget soft limit reached: the {Scope} budget ({Limited}, {Period} period from {PeriodStart}) has {Spent} USD spent; soft limit {SoftLimit} USD, limit {Limit} USD")]
    public static partial void SoftLimitReached(ILogger logger, BudgetScope scope, string limited, BudgetPeriod period, DateTimeOffset? periodStart, decimal spent, decimal softLimit, decimal limit);

    [LoggerMessage(1403, LogLevel.Error, "A budget soft-limit callback failed")]
    public static partial void SoftLimitCallbackFailed(ILogger logger, Exception exception);

    [LoggerMessage(1404, LogLevel.Error, "Could not settle the budget reservation of a request for {Model}: its cost of {Cost} USD is not committed, and what it held stays reserved until its lease expires")]
    public static partial void SettleFailed(ILogger logger, string model, decimal cost, Exception exception);

    [LoggerMessage(1405, LogLevel.Error, "The budget store could not reserve a request for {Model}; the request is refused")]
    public static partial void ReserveFailed(ILogger logger, string model, Exception exception);

    [LoggerMessage(1406, LogLevel.Warning, "A request for {Model} was charged {Charged} USD on the {Scope} budget ({Limited}) but held only {Held} USD: the provider billed more than the worst case the router could bound, and committed spend may pass the limit")]
    public static partial void SettledOverHold(ILogger logger, string model, BudgetScope scope, string limited, decimal charged, decimal held);

    [LoggerMessage(1407, LogLevel.Warning, "A request for {Model} settled {Cost} USD after its budget hold had expired ({Late} late): other requests may have been admitted into the room it held, and committed spend may pass a limit")]
    public static partial void SettledAfterLease(ILogger logger, string model, decimal cost, TimeSpan late);

    [LoggerMessage(1408, LogLevel.Warning, "The budget lease of a stream from {Model} lapsed {Late} ago (its reader held an update for longer than half the lease) and the budget can no longer cover it: the stream is ended")]
    public static partial void LeaseLost(ILogger logger, string model, TimeSpan late);

    [LoggerMessage(1409, LogLevel.Warning, "The budget store could not renew the lease of a stream from {Model}; retrying in {Retry}")]
    public static partial void RenewFailed(ILogger logger, string model, TimeSpan retry, Exception exception);
}
