namespace LlmRouter;

/// <summary>The kinds of personal data, in the order detectors run: a match of an earlier kind wins over an overlapping later one.</summary>
internal enum PiiKind : byte
{
    Iban,
    Ahv,
    Card,
    Email,
    IpAddress,
    Phone,
}

/// <summary>Names, placeholder tags and bit masks of <see cref="PiiKind"/>.</summary>
internal static class PiiKindInfo
{
    public const int Count = 6;

    public const int All = (1 << Count) - 1;

    private static readonly string[] Names = [PiiKinds.Iban, PiiKinds.Ahv, PiiKinds.Card, PiiKinds.Email, PiiKinds.IpAddress, PiiKinds.Phone];

    private static readonly string[] Tags = ["IBAN", "AHV", "CARD", "EMAIL", "IP", "PHONE"];

    public static string Name(PiiKind kind) => Names[(int)kind];

    public static string Tag(PiiKind kind) => Tags[(int)kind];

    public static int Bit(PiiKind kind) => 1 << (int)kind;

    public static bool TryParse(string? name, out PiiKind kind)
    {
        for (int i = 0; i < Names.Length; i++)
        {
            if (string.Equals(Names[i], name, StringComparison.Ordinal))
            {
                kind = (PiiKind)i;
                return true;
            }
        }

        kind = default;
        return false;
    }

    public static bool TryParseTag(ReadOnlySpan<char> tag, out PiiKind kind)
    {
        for (int i = 0; i < Tags.Length; i++)
        {
            if (tag.SequenceEqual(Tags[i]))
            {
                kind = (PiiKind)i;
                return true;
            }
        }

        kind = default;
        return false;
    }

    public static string Describe() => string.Join(", ", Names);
}
