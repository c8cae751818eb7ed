using System.Text;

namespace LlmRouter;

/// <summary>
/// The default redaction of <see cref="AuditContentMode.Redacted"/> content: secrets first (configured API keys, anything
/// shaped like a key, a bearer token or an authorization header), then every kind of personal data the PII guard's
/// detectors recognize — e-mail, phone, IBAN, payment card, AHV/AVS number, IP address — whatever the key's PII policy
/// (the record is kept for years; the policy is about what may leave for a region). Each finding becomes its kind's
/// tag in brackets, for example <c>[EMAIL]</c>.
/// </summary>
internal sealed class AuditContentRedactor : IAuditContentRedactor
{
    public static AuditContentRedactor Instance { get; } = new();

    public string Redact(string text, RouteInfo route, SecretRedactor secrets)
    {
        text = secrets.Redact(text, int.MaxValue)!;
        List<PiiMatch>? matches = PiiScanner.Scan(text);
        if (matches is null)
        {
            return text;
        }

        var redacted = new StringBuilder(text.Length);
        int at = 0;
        foreach (PiiMatch match in matches)
        {
            redacted.Append(text, at, match.Start - at).Append('[').Append(PiiKindInfo.Tag(match.Kind)).Append(']');
            at = match.End;
        }

        return redacted.Append(text, at, text.Length - at).ToString();
    }
}
