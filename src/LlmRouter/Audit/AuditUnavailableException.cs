namespace LlmRouter;

/// <summary>
/// A request's audit record could not be kept, so the request fails: in <see cref="AuditDurability.Synchronous"/> mode the
/// store could not make the record durable, or the audit queue was full and <see cref="AuditOptions.QueueFull"/> is
/// <see cref="AuditQueueFullBehavior.Reject"/> (then the request was refused before any provider was called). Reason
/// code <c>audit_unavailable</c>.
/// </summary>
/// <remarks>
/// In Synchronous mode the provider may have served (and billed) the request: <see cref="LlmRouterException.Route"/> says
/// what happened. The writer keeps retrying the record in the background, so it may still reach the store later. The
/// store's own error, if any, is the <see cref="Exception.InnerException"/>; the message holds no secret.
/// </remarks>
public sealed class AuditUnavailableException : LlmRouterException
{
    private readonly bool _rejection;

    internal AuditUnavailableException(string message, RouteInfo? route, bool rejection, Exception? innerException = null)
        : base(ReasonCodes.AuditUnavailable, message, route, innerException)
    {
        _rejection = rejection;
    }

    /// <inheritdoc/>
    public override bool IsRejection => _rejection;
}
