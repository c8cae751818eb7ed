using System.Text.RegularExpressions;

namespace LlmRouter;

/// <summary>
/// Removes secrets from text that leaves LlmRouter (error messages in route info, logs and audit records): every
/// configured API key verbatim, and anything shaped like a key or a bearer token.
/// </summary>
internal sealed partial class SecretRedactor
{
    public const string Mask = "[REDACTED]";

    public const int MaxLength = 1000;

    private readonly string[] _secrets;

    public SecretRedactor(IEnumerable<string?> secrets)
    {
        // Longest first, so a secret that contains another is masked whole.
        _secrets = secrets.Where(s => !string.IsNullOrEmpty(s) && s.Length >= 4).Distinct(StringComparer.Ordinal)
            .OrderByDescending(s => s!.Length).ToArray()!;
    }

    public static SecretRedactor Empty { get; } = new([]);

    public string? Redact(string? text) => Redact(text, MaxLength);

    /// <summary>Masks every configured secret and everything shaped like a key, a bearer token or an authorization header; cuts the result at <paramref name="maxLength"/>.</summary>
    public string? Redact(string? text, int maxLength)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        text = MaskConfigured(text);
        text = KeyShape().Replace(text, Mask);
        text = BearerShape().Replace(text, "Bearer " + Mask);
        text = HeaderShape().Replace(text, m => m.Groups["name"].Value + Mask);
        return text.Length <= maxLength ? text : string.Concat(text.AsSpan(0, maxLength), "…");
    }

    /// <summary>Masks the configured secrets only (the providers' API keys), verbatim wherever they occur.</summary>
    public string MaskConfigured(string text)
    {
        foreach (string secret in _secrets)
        {
            text = text.Replace(secret, Mask, StringComparison.Ordinal);
        }

        return text;
    }

    [GeneratedRegex(@"\b(sk|pk|rk)-[A-Za-z0-9_\-\*]{8,}", RegexOptions.CultureInvariant)]
    private static partial Regex KeyShape();

    [GeneratedRegex(@"Bearer\s+[A-Za-z0-9_\-\.~\+/=\*]{6,}", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex BearerShape();

    [GeneratedRegex(@"(?<name>(api[-_]?key|authorization|x-api-key)[""']?\s*[:=]\s*[""']?)[^\s""',;]{6,}", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex HeaderShape();
}
