namespace LlmRouter;

/// <summary>
/// A virtual key: the identity a caller presents (<c>ChatOptions.WithRouterKey</c> or <c>RouterContext.Begin</c>), the
/// models and regions it may reach, its rate limits, budget and PII policy.
/// </summary>
/// <remarks>
/// <para>
/// Deny by default: a key may use only the aliases its <see cref="Models"/> patterns match, and only deployments in
/// its <see cref="Regions"/>. A key with no patterns, or no regions, may use nothing.
/// </para>
/// <para>
/// The key's id (its name under <c>LlmRouter:Keys</c>) is sensitive. On the per-request path it reaches only the
/// application and the audit log, as <see cref="RouteInfo.Key"/>: never a provider request, a log line written for a
/// request (at any level), a span, or the message of an exception thrown to a caller; metrics carry it only with <see cref="TelemetryOptions.KeyAttributes"/>.
/// </para>
/// <para>
/// Configuration validation is not on that path: its errors name the configuration paths an operator has to fix, and a
/// key's path contains its id (<c>LlmRouter:Keys:{id}:Models[0]</c>) — in the exception that stops start-up and in the
/// Error log line of a reload that was rejected. Where such errors reach people who must not learn key ids, use ids that
/// are not credentials (map the credential a client presents to a key id in the application, as the WebApi sample does).
/// </para>
/// </remarks>
public sealed class KeyOptions
{
    /// <summary>Gets or sets the tenant the key belongs to (a name under <c>LlmRouter:Tenants</c>), or <see langword="null"/> for none. The default value is <see langword="null"/>.</summary>
    /// <remarks>The tenant's rate limits apply to all its keys together; its PII policy applies to keys without their own.</remarks>
    public string? Tenant { get; set; }

    /// <summary>
    /// Gets or sets the model aliases the key may use: an exact alias (<c>claude-haiku-eu</c>), a prefix ending in
    /// <c>*</c> (<c>mistral-eu-*</c>), or <c>*</c> for every alias. The default value is empty: the key may use nothing.
    /// </summary>
    /// <remarks>
    /// Matching is ordinal and case-sensitive, like alias lookup. The patterns apply to the requested alias and to every
    /// alias the fallback layer would try; a fallback outside them is skipped with the reason <c>model_not_allowed</c>.
    /// </remarks>
    public List<string> Models { get; set; } = [];

    /// <summary>
    /// Gets or sets the provider regions the key's requests may be sent to (<c>eu</c>, <c>ch</c>…), or <c>*</c> for
    /// every region. The default value is empty: the key may reach no region.
    /// </summary>
    /// <remarks>A deployment in another region is skipped with the reason <c>region_not_allowed</c>, never called.</remarks>
    public List<string> Regions { get; set; } = [];

    /// <summary>Gets or sets the key's own rate limits, or <see langword="null"/> for none. The default value is <see langword="null"/>.</summary>
    public RateLimitOptions? RateLimit { get; set; }

    /// <summary>Gets or sets the key's spending limit, or <see langword="null"/> for none. The default value is <see langword="null"/>.</summary>
    public BudgetOptions? Budget { get; set; }

    /// <summary>Gets or sets the key's PII policy, or <see langword="null"/> to use its tenant's (and, without one, not to scan for PII). The default value is <see langword="null"/>.</summary>
    public PiiPolicyOptions? Pii { get; set; }

    /// <summary>Gets or sets free-form metadata about the key (owner, purpose, ticket). The default value is empty.</summary>
    public Dictionary<string, string> Metadata { get; set; } = new(StringComparer.Ordinal);
}
