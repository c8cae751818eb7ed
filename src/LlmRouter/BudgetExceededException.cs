using System.Globalization;

namespace LlmRouter;

/// <summary>
/// A budget cannot cover the request: its worst-case cost does not fit what is left of the key's, the tenant's or the
/// global budget (or of a per-model limit within one) on any deployment it could go to. Reason code <c>budget_exceeded</c>.
/// </summary>
/// <remarks>
/// <para>
/// The properties describe the first refusal: which budget, its limit, what was spent and reserved, what the request
/// needed, and when the budget resets. Every deployment that was refused is on <see cref="LlmRouterException.Route"/>
/// as a skipped attempt with the reason <c>budget_exceeded</c>. When an earlier attempt was called and failed before a
/// fallback was refused by the budget, that failure is the <see cref="Exception.InnerException"/>.
/// </para>
/// <para>The message names the scope and the amounts, never the key id or the tenant.</para>
/// </remarks>
public sealed class BudgetExceededException : LlmRouterException
{
    private readonly bool _rejection;

    internal BudgetExceededException(BudgetRefusal refusal, RouteInfo route, Exception? innerException)
        : base(ReasonCodes.BudgetExceeded, Describe(refusal), route, innerException)
    {
        Scope = refusal.Scope;
        Model = refusal.Model;
        Period = refusal.Period;
        Limit = refusal.Limit;
        Spent = refusal.Spent;
        Reserved = refusal.Reserved;
        Requested = refusal.Requested;
        ResetsAt = refusal.ResetsAt;
        Mode = refusal.Mode;
        _rejection = !route.AnyCalled();
    }

    /// <summary>Gets whose budget refused: the key's, its tenant's, or the global one.</summary>
    public BudgetScope Scope { get; }

    /// <summary>Gets the alias of the per-model limit that refused, or <see langword="null"/> when it was the scope's whole budget.</summary>
    public string? Model { get; }

    /// <summary>Gets the budget's period.</summary>
    public BudgetPeriod Period { get; }

    /// <summary>Gets the budget's hard limit in USD.</summary>
    public decimal Limit { get; }

    /// <summary>Gets the committed spend of the current period in USD.</summary>
    public decimal Spent { get; }

    /// <summary>Gets what other requests running at the time held in USD.</summary>
    public decimal Reserved { get; }

    /// <summary>Gets what the request needed to hold, in USD: its worst-case cost on the deployment, plus what its earlier attempts cost.</summary>
    public decimal Requested { get; }

    /// <summary>Gets when the budget starts again, or <see langword="null"/> for a <see cref="BudgetPeriod.Total"/> budget.</summary>
    public DateTimeOffset? ResetsAt { get; }

    /// <summary>Gets the mode the budget was enforced in.</summary>
    public BudgetMode Mode { get; }

    /// <inheritdoc/>
    /// <remarks>A refusal when no provider was called; a failure when an earlier attempt was called and failed.</remarks>
    public override bool IsRejection => _rejection;

    private static string Describe(BudgetRefusal refusal)
    {
        string whose = refusal.Scope switch
        {
            BudgetScope.Key => "the key's",
            BudgetScope.Tenant => "the tenant's",
            _ => "the global",
        };

        string period = refusal.Period switch
        {
            BudgetPeriod.Daily => "daily",
            BudgetPeriod.Weekly => "weekly",
            BudgetPeriod.Monthly => "monthly",
            _ => "total",
        };

        string what = refusal.Model is null ? $"{whose} {period} budget" : $"{whose} {period} budget for {refusal.Model}";
        string need = refusal.Mode == BudgetMode.Strict
            ? string.Create(CultureInfo.InvariantCulture, $"cannot cover the request's worst case of {Money(refusal.Requested)}")
            : "is used up";
        string reset = refusal.ResetsAt is DateTimeOffset at
            ? string.Create(CultureInfo.InvariantCulture, $"; it resets at {at:yyyy-MM-dd'T'HH:mm:sszzz}")
            : string.Empty;
        return string.Create(CultureInfo.InvariantCulture, $"Budget exceeded: {what} of {Money(refusal.Limit)} ({Money(refusal.Spent)} spent, {Money(refusal.Reserved)} reserved) {need}{reset}.");
    }

    private static string Money(decimal amount) => "$" + amount.ToString("0.00######", CultureInfo.InvariantCulture);
}
