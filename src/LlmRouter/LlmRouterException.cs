namespace LlmRouter;

/// <summary>
/// The base of every exception LlmRouter throws for a request it refused or could not serve. Carries a stable
/// <see cref="ReasonCode"/> (see <see cref="ReasonCodes"/>) that also goes into the audit record, and the request's
/// <see cref="Route"/> with every attempt.
/// </summary>
/// <remarks>Messages name models, providers and deployments, never a secret, a prompt or a virtual key id.</remarks>
public abstract class LlmRouterException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="LlmRouterException"/> class.</summary>
    /// <param name="reasonCode">The stable reason code.</param>
    /// <param name="message">The message.</param>
    /// <param name="route">The request's route, if known.</param>
    /// <param name="innerException">The exception that caused this one, if any.</param>
    protected LlmRouterException(string reasonCode, string message, RouteInfo? route, Exception? innerException = null)
        : base(message, innerException)
    {
        ReasonCode = reasonCode;
        Route = route;
    }

    /// <summary>Gets the stable reason code, one of <see cref="ReasonCodes"/>.</summary>
    public string ReasonCode { get; }

    /// <summary>Gets the request's route: what was asked for, every attempt, timings.</summary>
    public RouteInfo? Route { get; internal set; }

    /// <summary>Gets whether the request was refused before any provider was called (<see cref="RouteStatus.Rejected"/>) rather than attempted and failed.</summary>
    public virtual bool IsRejection => false;
}
