namespace LlmRouter;

/// <summary>Whether the audit record keeps the text of the request and the response.</summary>
public enum AuditContentMode
{
    /// <summary>No content is recorded: only who asked, what was used and what it cost.</summary>
    None,

    /// <summary>
    /// The text is recorded after redaction: secrets (configured API keys, anything shaped like a key, a bearer token or
    /// an authorization header) are masked, and personal data the PII guard recognizes is masked when the guard is on.
    /// </summary>
    Redacted,

    /// <summary>The text is recorded as sent and received; only LlmRouter's own configured API keys are masked.</summary>
    Full,
}
