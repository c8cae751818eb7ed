namespace LlmRouter;

/// <summary>
/// Redacts the text of a request or a response before it goes into an audit record under
/// <see cref="AuditContentMode.Redacted"/>. The default (<see cref="AuditContentRedactor"/>) masks secrets and every kind of
/// personal data the PII detectors recognize; a singleton of this interface in the service collection replaces it.
/// </summary>
/// <remarks>Called once per text, on the request's own flow, after the request completed. Must be thread-safe.</remarks>
internal interface IAuditContentRedactor
{
    /// <summary>Returns the text with what must not be stored masked.</summary>
    /// <param name="text">The request's or the response's text, whole.</param>
    /// <param name="route">The request, with what the policy layers found in it (for example <see cref="RouteInfo.PiiFindings"/>).</param>
    /// <param name="secrets">Masks the configured API keys and anything shaped like a key or a bearer token.</param>
    string Redact(string text, RouteInfo route, SecretRedactor secrets);
}
