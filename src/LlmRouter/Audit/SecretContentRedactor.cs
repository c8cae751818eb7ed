namespace LlmRouter;

/// <summary>The default content redaction: every configured API key, and anything shaped like a key, a bearer token or an authorization header.</summary>
internal sealed class SecretContentRedactor : IAuditContentRedactor
{
    public static SecretContentRedactor Instance { get; } = new();

    public string Redact(string text, RouteInfo route, SecretRedactor secrets) => secrets.Redact(text, int.MaxValue)!;
}
