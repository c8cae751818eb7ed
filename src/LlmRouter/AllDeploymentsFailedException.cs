using System.Text;

namespace LlmRouter;

/// <summary>
/// No deployment could serve the request: every one that was tried failed, and the others were skipped (cooling down,
/// not allowed, too small). Reason code <c>all_deployments_failed</c>; <see cref="Attempts"/> holds every attempt.
/// </summary>
public sealed class AllDeploymentsFailedException : LlmRouterException
{
    internal AllDeploymentsFailedException(string model, RouteInfo route, Exception? lastFailure)
        : base(ReasonCodes.AllDeploymentsFailed, Describe(model, route), route, lastFailure)
    {
        Model = model;
    }

    /// <summary>Gets the alias that could not be served.</summary>
    public string Model { get; }

    /// <summary>Gets every deployment tried or skipped, in order.</summary>
    public IReadOnlyList<RouteAttempt> Attempts => Route!.Attempts;

    private static string Describe(string model, RouteInfo route)
    {
        var text = new StringBuilder("No deployment could serve '").Append(model).Append("'.");
        int shown = 0;
        foreach (RouteAttempt attempt in route.Attempts)
        {
            if (shown++ == 8)
            {
                text.Append(" …");
                break;
            }

            text.Append(' ').Append(attempt.Model).Append(" via ").Append(attempt.Deployment?.Id ?? "-").Append(": ");
            if (attempt.Outcome == AttemptOutcome.Skipped)
            {
                text.Append("skipped (").Append(attempt.SkipReason).Append(");");
            }
            else
            {
                text.Append(attempt.ErrorClass);
                if (attempt.StatusCode is int status)
                {
                    text.Append(' ').Append(status);
                }

                text.Append(';');
            }
        }

        return text.ToString();
    }
}
