namespace LlmRouter;

/// <summary>What the PII guard does with personal data it finds in a request, ordered from least to most strict.</summary>
public enum PiiAction
{
    /// <summary>Send it as it is (the finding is still counted in <see cref="RouteInfo.PiiFindings"/>).</summary>
    Allow,

    /// <summary>Replace each value with a typed placeholder (<c>[EMAIL_1]</c>) before the request leaves the process.</summary>
    Redact,

    /// <summary>Do not send the request to that region; when no allowed region is left, refuse it (<see cref="PolicyViolationException"/>).</summary>
    Block,
}
