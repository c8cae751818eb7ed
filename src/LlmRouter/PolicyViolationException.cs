using System.Text;

namespace LlmRouter;

/// <summary>
/// The request contains personal data the caller's PII policy blocks — everywhere, or in every region that could have
/// served it. Reason code <c>policy_violation</c>. No provider was called.
/// </summary>
/// <remarks>
/// <see cref="Findings"/> counts what was found by kind (see <see cref="PiiKinds"/>); neither it nor the message holds
/// the values themselves.
/// </remarks>
public sealed class PolicyViolationException : LlmRouterException
{
    internal PolicyViolationException(IReadOnlyDictionary<string, int> findings, string blocked, RouteInfo route)
        : base(ReasonCodes.PolicyViolation, Describe(findings, blocked), route)
    {
        Findings = findings;
    }

    /// <summary>Gets what the PII guard found in the request, by kind.</summary>
    public IReadOnlyDictionary<string, int> Findings { get; }

    /// <inheritdoc/>
    public override bool IsRejection => true;

    private static string Describe(IReadOnlyDictionary<string, int> findings, string blocked)
    {
        var text = new StringBuilder("The request contains personal data the caller's policy does not allow to be sent ").Append(blocked).Append(':');
        foreach ((string kind, int count) in findings)
        {
            text.Append(' ').Append(kind).Append(" (").Append(count).Append(')');
        }

        return text.Append('.').ToString();
    }
}
