namespace LlmRouter;

/// <summary>
/// The budget store could not be reached to reserve the request's cost, so the request was not sent: budgets fail closed.
/// Reason code <c>budget_unavailable</c>. The store's own exception is the <see cref="Exception.InnerException"/>.
/// </summary>
/// <remarks>The message never repeats a connection string.</remarks>
public sealed class BudgetUnavailableException : LlmRouterException
{
    private readonly bool _rejection;

    internal BudgetUnavailableException(RouteInfo route, Exception innerException)
        : base(ReasonCodes.BudgetUnavailable, "The budget store could not reserve the request's cost, so the request was not sent: " + innerException.GetType().Name + ".", route, innerException)
    {
        _rejection = !route.AnyCalled();
    }

    /// <inheritdoc/>
    /// <remarks>A refusal when no provider was called; a failure when an earlier attempt was called and failed.</remarks>
    public override bool IsRejection => _rejection;
}
