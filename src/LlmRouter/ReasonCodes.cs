namespace LlmRouter;

/// <summary>
/// The stable reason codes LlmRouter puts on its exceptions (<see cref="LlmRouterException.ReasonCode"/>) and into the
/// audit record. They never change meaning; new codes may be added.
/// </summary>
public static class ReasonCodes
{
    /// <summary>The requested alias is not configured.</summary>
    public const string UnknownModel = "unknown_model";

    /// <summary>The caller's key is not configured.</summary>
    public const string UnknownKey = "unknown_key";

    /// <summary>The caller's key may not use the requested alias.</summary>
    public const string ModelNotAllowed = "model_not_allowed";

    /// <summary>The caller's key may not send data to the region of any deployment that could serve the request.</summary>
    public const string RegionNotAllowed = "region_not_allowed";

    /// <summary>A budget cannot cover the request.</summary>
    public const string BudgetExceeded = "budget_exceeded";

    /// <summary>The budget store could not be reached to reserve the request's cost, so the request was not sent (budgets fail closed).</summary>
    public const string BudgetUnavailable = "budget_unavailable";

    /// <summary>A rate limit refused the request.</summary>
    public const string RateLimited = "rate_limited";

    /// <summary>A content policy (for example the PII guard) refused the request.</summary>
    public const string PolicyViolation = "policy_violation";

    /// <summary>Every deployment that could serve the request failed or was unavailable.</summary>
    public const string AllDeploymentsFailed = "all_deployments_failed";

    /// <summary>A provider failed with an error that is not retried elsewhere (authentication, bad request, content filter), or a stream failed after it had started.</summary>
    public const string ProviderError = "provider_error";

    /// <summary>The caller cancelled the request.</summary>
    public const string Cancelled = "cancelled";

    /// <summary>The caller's own code, run inside the request — its <c>OnRouteStarted</c> callback — threw; the request was not sent.</summary>
    public const string CallerError = "caller_error";

    /// <summary>The request's audit record could not be kept: the store failed in <see cref="AuditDurability.Synchronous"/> mode, or the audit queue was full with <see cref="AuditQueueFullBehavior.Reject"/>.</summary>
    public const string AuditUnavailable = "audit_unavailable";
}
