using LlmRouter;

namespace WebApiSample.OpenAIEndpoint;

/// <summary>
/// How LlmRouter's refusals and failures reach an OpenAI client: status, error type and code by
/// <see cref="LlmRouterException.ReasonCode"/>, with the retry advice OpenAI's SDKs follow.
/// </summary>
/// <remarks>
/// <para>
/// The table (also in docs/endpoint.md):
/// </para>
/// <code>
/// reason                    status  type                   code                     x-should-retry
/// (no or unknown token)     401     invalid_request_error  invalid_api_key          false
/// unknown_key               401     invalid_request_error  invalid_api_key          false
/// unknown_model             404     invalid_request_error  model_not_found          false
/// model_not_allowed         403     permission_error       model_not_allowed        false
/// region_not_allowed        403     permission_error       region_not_allowed       false
/// policy_violation          400     invalid_request_error  policy_violation         false
/// rate_limited              429     rate_limit_error       rate_limited             true (false when the wait is over 60 s), retry-after
/// budget_exceeded           429     budget_exceeded        budget_exceeded          false
/// budget_unavailable        503     server_error           budget_unavailable       (status default: retried)
/// audit_unavailable         503     server_error           audit_unavailable        (status default: retried)
/// all_deployments_failed    502     server_error           all_deployments_failed   (status default: retried)
///   ... every target too small  400 invalid_request_error  context_length_exceeded  false
///   ... every call filtered     400 invalid_request_error  content_filter           false
/// provider_error            502     server_error           provider_error           (retried; false for a credentials failure)
///   ... malformed (400/422)     400 invalid_request_error  provider_error           false
///   ... context window          400 invalid_request_error  context_length_exceeded  false
///   ... content filter          400 invalid_request_error  content_filter           false
/// anything else             500     server_error           null                     (retried)
/// </code>
/// <para>
/// Messages are LlmRouter's for refusals (they name models and regions, never a key or a secret). For failures they
/// are the endpoint's own and do not describe the providers behind it; the route of the request, with every attempt,
/// is in the audit record whose id is the <c>x-request-id</c> header.
/// </para>
/// </remarks>
internal static class OpenAIErrors
{
    /// <summary>The longest wait an OpenAI client is told to sit out itself; beyond it the refusal is reported.</summary>
    public static readonly TimeSpan LongestClientRetryWait = TimeSpan.FromSeconds(60);

    public static ApiError InvalidApiKey() =>
        new(401, new ErrorDetail("Incorrect API key provided. Send the token you were given as 'Authorization: Bearer <token>'.", "invalid_request_error", null, "invalid_api_key"), ShouldRetry: false);

    public static ApiError InvalidRequest(InvalidRequestException invalid) =>
        new(400, new ErrorDetail(invalid.Message, "invalid_request_error", invalid.Param, invalid.Code), ShouldRetry: false);

    public static ApiError NotFound(string message, string? param, string? code) =>
        new(404, new ErrorDetail(message, "invalid_request_error", param, code), ShouldRetry: false);

    public static ApiError Unexpected() =>
        new(500, new ErrorDetail("The server had an error while processing your request.", "server_error", null, null));

    /// <summary>Maps a refusal or failure of LlmRouter.</summary>
    public static ApiError For(LlmRouterException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        string reason = exception.ReasonCode;
        switch (reason)
        {
            case ReasonCodes.UnknownKey:
                return InvalidApiKey();
            case ReasonCodes.UnknownModel:
                return NotFound(exception.Message, "model", "model_not_found");
            case ReasonCodes.ModelNotAllowed or ReasonCodes.RegionNotAllowed:
                return new(403, new ErrorDetail(exception.Message, "permission_error", "model", reason), ShouldRetry: false);
            case ReasonCodes.PolicyViolation:
                return new(400, new ErrorDetail(exception.Message, "invalid_request_error", "messages", reason), ShouldRetry: false);
            case ReasonCodes.RateLimited:
                TimeSpan? wait = (exception as RateLimitExceededException)?.RetryAfter;
                return new(429, new ErrorDetail(exception.Message, "rate_limit_error", null, reason), ShouldRetry: wait is null || wait <= LongestClientRetryWait, RetryAfter: wait);
            case ReasonCodes.BudgetExceeded:
                return new(429, new ErrorDetail(exception.Message, "budget_exceeded", null, reason), ShouldRetry: false);
            case ReasonCodes.BudgetUnavailable or ReasonCodes.AuditUnavailable:
                // The gateway's own store is down: nothing the caller did, and it may be back in a moment.
                return new(503, new ErrorDetail(reason == ReasonCodes.BudgetUnavailable
                    ? "The gateway cannot check its budgets right now, so the request was not sent."
                    : "The gateway cannot keep its audit record of the request right now.", "server_error", null, reason));
            case ReasonCodes.AllDeploymentsFailed when TooLargeEverywhere(exception.Route):
                return ContextLengthExceeded();
            case ReasonCodes.AllDeploymentsFailed when FilteredEverywhere(exception.Route):
                return ContentFiltered();
            case ReasonCodes.AllDeploymentsFailed:
                return new(502, new ErrorDetail($"No provider could serve '{exception.Route?.RequestedModel}': every deployment failed or was unavailable.", "server_error", null, reason));
            case ReasonCodes.ProviderError when exception is ProviderException provider:
                return ForProvider(provider);
            default:
                return exception.IsRejection
                    ? new(403, new ErrorDetail(exception.Message, "permission_error", null, reason), ShouldRetry: false)
                    : new(502, new ErrorDetail("The provider failed to serve the request.", "server_error", null, reason));
        }
    }

    private static ApiError ForProvider(ProviderException provider) => provider.ErrorClass switch
    {
        ErrorClass.BadRequest => new(
            400,
            new ErrorDetail("The provider refused the request as malformed" + (provider.Attempt.Error is { Length: > 0 } error ? ": " + error : "."), "invalid_request_error", null, ReasonCodes.ProviderError),
            ShouldRetry: false),
        ErrorClass.ContextWindowExceeded => ContextLengthExceeded(),
        ErrorClass.ContentFiltered => ContentFiltered(),
        ErrorClass.Authentication => new(
            502, new ErrorDetail("The gateway's credentials for the provider were refused.", "server_error", null, ReasonCodes.ProviderError), ShouldRetry: false),
        _ => new(502, new ErrorDetail("The provider failed to serve the request.", "server_error", null, ReasonCodes.ProviderError)),
    };

    private static ApiError ContextLengthExceeded() =>
        new(400, new ErrorDetail("The messages do not fit the context window of any model that could serve the request.", "invalid_request_error", "messages", "context_length_exceeded"), ShouldRetry: false);

    private static ApiError ContentFiltered() =>
        new(400, new ErrorDetail("The provider's content filter refused the request.", "invalid_request_error", "messages", "content_filter"), ShouldRetry: false);

    /// <summary>Gets whether every deployment called (along the content-policy fallbacks) refused the request with its content filter.</summary>
    private static bool FilteredEverywhere(RouteInfo? route)
    {
        bool filtered = false;
        foreach (RouteAttempt attempt in route?.Attempts ?? [])
        {
            if (attempt.Outcome == AttemptOutcome.Skipped)
            {
                continue;
            }

            if (attempt.ErrorClass != ErrorClass.ContentFiltered)
            {
                return false;
            }

            filtered = true;
        }

        return filtered;
    }

    /// <summary>Gets whether every target was skipped or failed because the request does not fit its context window.</summary>
    private static bool TooLargeEverywhere(RouteInfo? route)
    {
        if (route is null || route.Attempts.Count == 0)
        {
            return false;
        }

        foreach (RouteAttempt attempt in route.Attempts)
        {
            bool tooLarge = attempt.Outcome == AttemptOutcome.Skipped
                ? attempt.SkipReason == SkipReasons.ContextWindow
                : attempt.ErrorClass == ErrorClass.ContextWindowExceeded;
            if (!tooLarge)
            {
                return false;
            }
        }

        return true;
    }
}
