namespace LlmRouter;

/// <summary>
/// The kinds of personal data the PII guard detects: the names used in <see cref="PiiPolicyOptions.Kinds"/> and as keys
/// of <see cref="RouteInfo.PiiFindings"/>.
/// </summary>
public static class PiiKinds
{
    /// <summary>An e-mail address. Placeholder <c>[EMAIL_n]</c>.</summary>
    public const string Email = "email";

    /// <summary>A phone number in international form (<c>+41 44 668 18 00</c>, <c>0041 …</c>) or Swiss national form (<c>044 668 18 00</c>). Placeholder <c>[PHONE_n]</c>.</summary>
    public const string Phone = "phone";

    /// <summary>An IBAN whose mod-97 checksum is valid, compact or in groups of four. Placeholder <c>[IBAN_n]</c>.</summary>
    public const string Iban = "iban";

    /// <summary>A payment card number of a known network whose Luhn check digit is valid. Placeholder <c>[CARD_n]</c>.</summary>
    public const string Card = "card";

    /// <summary>A Swiss social security number (AHV/AVS, <c>756.xxxx.xxxx.xx</c>) whose EAN-13 check digit is valid. Placeholder <c>[AHV_n]</c>.</summary>
    public const string Ahv = "ahv";

    /// <summary>An IPv4 or IPv6 address. Placeholder <c>[IP_n]</c>.</summary>
    public const string IpAddress = "ip";
}
