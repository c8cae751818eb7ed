namespace LlmRouter;

/// <summary>
/// What a <see cref="SpendStatements"/> statement covers: whose requests (a key's, a tenant's, or every request) and which
/// local dates, in which time zone.
/// </summary>
/// <remarks>
/// A period is a run of whole local days, <see cref="FirstDay"/> to <see cref="LastDay"/> inclusive: from the first
/// instant of <see cref="FirstDay"/> in <see cref="TimeZone"/> (its midnight, daylight-saving changes included) to the
/// first instant of the day after <see cref="LastDay"/>. Requests belong to the period they started in.
/// </remarks>
public sealed class SpendStatementRequest
{
    /// <summary>The longest period a statement can cover: 3,660 days.</summary>
    public const int MaxDays = AuditSummaryRequest.MaxDays;

    /// <summary>Gets whose requests: a key's (<see cref="BudgetScope.Key"/>), a tenant's (<see cref="BudgetScope.Tenant"/>), or every request (<see cref="BudgetScope.Global"/>).</summary>
    public required BudgetScope Scope { get; init; }

    /// <summary>Gets the key id or tenant name; <see langword="null"/> (and ignored) for <see cref="BudgetScope.Global"/>.</summary>
    /// <remarks>A key id is sensitive: it appears in the statement (whose client it is) but never in an exception message.</remarks>
    public string? Name { get; init; }

    /// <summary>Gets the first local day of the period.</summary>
    public required DateOnly FirstDay { get; init; }

    /// <summary>Gets the last local day of the period (inclusive).</summary>
    public required DateOnly LastDay { get; init; }

    /// <summary>
    /// Gets the time zone whose calendar the period follows, or <see langword="null"/> for the budgets' time zone
    /// (<see cref="BudgetingOptions.TimeZone"/>, UTC by default), so that a monthly statement and a monthly budget cover
    /// the same instants. The default value is <see langword="null"/>.
    /// </summary>
    public TimeZoneInfo? TimeZone { get; init; }

    /// <summary>Creates the request of a calendar month's statement.</summary>
    /// <param name="scope">Whose requests.</param>
    /// <param name="name">The key id or tenant name; <see langword="null"/> for <see cref="BudgetScope.Global"/>.</param>
    /// <param name="year">The year.</param>
    /// <param name="month">The month, 1 to 12.</param>
    /// <param name="timeZone">The time zone, or <see langword="null"/> for the budgets' time zone.</param>
    /// <returns>The request, from the first to the last day of the month.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The year or month is out of range.</exception>
    public static SpendStatementRequest ForMonth(BudgetScope scope, string? name, int year, int month, TimeZoneInfo? timeZone = null)
    {
        var first = new DateOnly(year, month, 1);
        return new SpendStatementRequest { Scope = scope, Name = name, FirstDay = first, LastDay = first.AddMonths(1).AddDays(-1), TimeZone = timeZone };
    }

    /// <summary>Checks the request.</summary>
    /// <exception cref="ArgumentException">The client or the period is not valid.</exception>
    internal void Validate()
    {
        if (Scope is not (BudgetScope.Key or BudgetScope.Tenant or BudgetScope.Global))
        {
            throw new ArgumentException("The scope must be Key, Tenant or Global.", "request");
        }

        if (Scope != BudgetScope.Global && string.IsNullOrEmpty(Name))
        {
            throw new ArgumentException("A statement for a key or a tenant needs its name.", "request");
        }

        if (LastDay < FirstDay)
        {
            throw new ArgumentException($"The period is empty: its last day ({LastDay:yyyy-MM-dd}) is before its first ({FirstDay:yyyy-MM-dd}).", "request");
        }

        if (LastDay.DayNumber - FirstDay.DayNumber + 1 > MaxDays)
        {
            throw new ArgumentException($"A statement can cover at most {MaxDays} days.", "request");
        }
    }
}
