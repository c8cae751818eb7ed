namespace LlmRouter;

/// <summary>
/// One group of an <see cref="IAuditQuery"/> summary: the group's values (those not grouped by are <see langword="null"/>),
/// and its requests, tokens and cost.
/// </summary>
/// <remarks>A value: two rows are equal when every member is. Money is exact.</remarks>
public sealed record AuditSummaryRow
{
    /// <summary>Gets the key, when grouped by <see cref="AuditGrouping.Key"/> (and the group's requests had one).</summary>
    public string? Key { get; init; }

    /// <summary>Gets the tenant, when grouped by <see cref="AuditGrouping.Tenant"/>.</summary>
    public string? Tenant { get; init; }

    /// <summary>Gets the requested model, when grouped by <see cref="AuditGrouping.RequestedModel"/>.</summary>
    public string? RequestedModel { get; init; }

    /// <summary>Gets the serving alias, when grouped by <see cref="AuditGrouping.ServedModel"/>.</summary>
    public string? ServedModel { get; init; }

    /// <summary>Gets the serving provider, when grouped by <see cref="AuditGrouping.Provider"/>.</summary>
    public string? Provider { get; init; }

    /// <summary>Gets how the requests ended, when grouped by <see cref="AuditGrouping.Status"/>.</summary>
    public RouteStatus? Status { get; init; }

    /// <summary>Gets the calendar day, when grouped by <see cref="AuditGrouping.Day"/>.</summary>
    public DateOnly? Day { get; init; }

    /// <summary>Gets the number of requests.</summary>
    public long Requests { get; init; }

    /// <summary>Gets the tokens, by kind.</summary>
    public TokenUsage Tokens { get; init; }

    /// <summary>Gets the total cost in USD, exact: the sum of the requests' costs (requests without a cost add nothing).</summary>
    public decimal Cost { get; init; }

    /// <summary>Gets how many of the requests used tokens at an unknown price (their cost is not in <see cref="Cost"/>).</summary>
    public long UnpricedRequests { get; init; }

    /// <summary>Gets how many of the requests had tokens counted by LlmRouter because the provider did not report them.</summary>
    public long EstimatedRequests { get; init; }
}
