using Microsoft.Extensions.Logging;

namespace LlmRouter;

/// <summary>
/// LlmRouter's log lines. They name models, deployments, regions, error classes and reasons — never a prompt, personal
/// data, a secret, a virtual key id, a tenant or a user.
/// </summary>
/// <remarks>
/// Each area has its own range of event ids, so an id names one log line across the library (a new line takes the next
/// free id of its area; ids are never reused for another meaning):
/// <list type="table">
/// <item><term>1000–1099</term><description>routing and fallback: attempts, failures, cooldowns, unpriced deployments (<see cref="RouterLog"/>)</description></item>
/// <item><term>1100–1199</term><description>configuration and the routing table: in service, rejected reloads (<see cref="RouterLog"/>)</description></item>
/// <item><term>1200–1299</term><description>key policies: refusals, PII findings and redactions, rate limits (<see cref="RouterLog"/>)</description></item>
/// <item><term>1300–1399</term><description>the audit writer (<see cref="AuditLog"/>)</description></item>
/// <item><term>1400–1499</term><description>budgets (<see cref="BudgetLog"/>)</description></item>
/// <item><term>1500–1599</term><description>requests as a whole and what operators watch: a request's completion, store outages, the budget gauges (<see cref="RouterLog"/>, <see cref="AuditLog"/>)</description></item>
/// <item><term>1600–1699</term><description>the PostgreSQL store package (its own log class)</description></item>
/// </list>
/// </remarks>
internal static partial class RouterLog
{
    [LoggerMessage(1001, LogLevel.Debug, "Routed {Model} to {Deployment} in region {Region}: {Outcome} in {ElapsedMs:0.###} ms")]
    public static partial void AttemptFinished(ILogger logger, string model, string deployment, string region, AttemptOutcome outcome, double elapsedMs);

    [LoggerMessage(1002, LogLevel.Information, "{Model} via {Deployment} failed with {ErrorClass}; falling back")]
    public static partial void FallingBack(ILogger logger, string model, string deployment, ErrorClass errorClass);

    [LoggerMessage(1003, LogLevel.Warning, "Deployment {Deployment} cooled down for {Cooldown} after {ErrorClass}")]
    public static partial void CooledDown(ILogger logger, string deployment, TimeSpan cooldown, ErrorClass errorClass);

    [LoggerMessage(1004, LogLevel.Warning, "No deployment could serve {Model} after {Attempts} attempt(s)")]
    public static partial void AllDeploymentsFailed(ILogger logger, string model, int attempts);

    [LoggerMessage(1005, LogLevel.Warning, "{Model} via {Deployment} failed with {ErrorClass}, which is not retried elsewhere")]
    public static partial void NotRetried(ILogger logger, string model, string deployment, ErrorClass errorClass);

    [LoggerMessage(1006, LogLevel.Debug, "Skipped {Model} via {Deployment}: {Reason}")]
    public static partial void Skipped(ILogger logger, string model, string deployment, string reason);

    [LoggerMessage(1007, LogLevel.Warning, "No price is known for {Model} via {Deployment} (price catalog {CatalogVersion}, no Prices entry): {Consequence}")]
    public static partial void UnpricedDeployment(ILogger logger, string model, string deployment, string catalogVersion, string consequence);

    [LoggerMessage(1201, LogLevel.Information, "Refused a request for {Model}: {Reason}")]
    public static partial void Refused(ILogger logger, string model, string reason);

    [LoggerMessage(1202, LogLevel.Debug, "Found personal data in a request for {Model}: {Kinds}")]
    public static partial void PiiFound(ILogger logger, string model, string kinds);

    [LoggerMessage(1203, LogLevel.Debug, "Redacted {Count} value(s) of personal data before sending {Model} to {Deployment} in region {Region}")]
    public static partial void Redacted(ILogger logger, int count, string model, string deployment, string region);

    [LoggerMessage(1204, LogLevel.Debug, "Rate limit refused a request for {Model}: {Scope} {Limit}, retry after {RetryAfter}")]
    public static partial void RateLimited(ILogger logger, string model, RateLimitScope scope, RateLimitKind limit, TimeSpan? retryAfter);

    [LoggerMessage(1101, LogLevel.Information, "Routing table {Version} is in service with {Models} model(s)")]
    public static partial void RoutingTableReloaded(ILogger logger, long version, int models);

    [LoggerMessage(1102, LogLevel.Error, "Reloaded LlmRouter configuration is not valid and was ignored; the previous configuration stays in service: {Errors}")]
    public static partial void RoutingTableReloadRejected(ILogger logger, string errors);

    [LoggerMessage(1501, LogLevel.Debug, "Request for {Model}: {Status} ({Reason}), served by {Deployment} in region {Region} after {Attempts} call(s) in {ElapsedMs:0.###} ms")]
    public static partial void RequestCompleted(ILogger logger, string model, RouteStatus status, string reason, string deployment, string region, int attempts, double elapsedMs);

    [LoggerMessage(1503, LogLevel.Error, "Could not read the budgets for the remaining-budget gauges ({Failures} failure(s) in a row); the gauges keep their last values")]
    public static partial void BudgetGaugeRefreshFailed(ILogger logger, long failures, Exception exception);
    [LoggerMessage(1103, LogLevel.Error, "Building the routing table of reloaded LlmRouter configuration failed with {ExceptionType}, and it was ignored; the previous configuration stays in service: {Message}")]
    public static partial void RoutingTableBuildFailed(ILogger logger, string exceptionType, string message);
}
