namespace LlmRouter;

/// <summary>
/// The PII guard's policy for a key or a tenant: what to do with personal data found in a request, by the region the
/// request is sent to and by the kind of data.
/// </summary>
/// <remarks>
/// <para>
/// For each kind of data found and each deployment the request could go to, the stricter of two actions applies: the
/// one for the deployment's region (<see cref="Regions"/>, else <see cref="Default"/>) and the one for the kind
/// (<see cref="Kinds"/>). "Redact before sending to the US, allow in Switzerland, block card numbers everywhere" is
/// <c>{ "Default": "Allow", "Regions": { "us": "Redact" }, "Kinds": { "card": "Block" } }</c>.
/// </para>
/// <para>
/// The policy is applied per attempt: when a fallback moves the request to another region, that region's action
/// applies to what is sent there. A region whose action is <see cref="PiiAction.Block"/> for a kind found is skipped
/// (reason <c>policy_violation</c>); the request is refused only when no allowed deployment is left.
/// </para>
/// </remarks>
public sealed class PiiPolicyOptions
{
    /// <summary>Gets or sets the action in regions not listed in <see cref="Regions"/>. The default value is <see cref="PiiAction.Allow"/>.</summary>
    public PiiAction Default { get; set; } = PiiAction.Allow;

    /// <summary>Gets or sets the action per target region (a provider's <c>Region</c>). The default value is empty.</summary>
    public Dictionary<string, PiiAction> Regions { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Gets or sets a stricter action for a kind of data in every region, by kind (see <see cref="PiiKinds"/>):
    /// <c>Redact</c> or <c>Block</c>. The default value is empty.
    /// </summary>
    public Dictionary<string, PiiAction> Kinds { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Gets or sets whether placeholders in the response are replaced by the values they stand for, so the caller sees
    /// the original data while the provider never did. Works for streams too. The default value is <see langword="false"/>.
    /// </summary>
    public bool RestoreInResponse { get; set; }
}
