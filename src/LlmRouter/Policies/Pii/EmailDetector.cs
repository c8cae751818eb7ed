using System.Globalization;

namespace LlmRouter;

/// <summary>
/// Finds e-mail addresses: a local part of letters (any script, with their combining marks), digits and
/// <c>. _ % + -</c>, of any length, an <c>@</c>, and a domain of at least two dot-separated labels of letters, digits and
/// hyphens (internationalized names included) whose last is two or more letters. Scans for <c>@</c> only, so text
/// without one costs a single vectorized search.
/// </summary>
/// <remarks>
/// The local part is not limited to the 64 characters an address may have: an over-long one is still someone's address
/// as far as masking goes, and masking only its end would leak the rest. Each character is walked at most twice (back
/// from the <c>@</c> that follows it, forward from the one before it), so the scan stays linear.
/// </remarks>
internal static class EmailDetector
{
    private const int MaxDomainLength = 253;

    public static bool TryFind(ReadOnlySpan<char> text, int from, out int start, out int length)
    {
        int search = from;
        while (search < text.Length)
        {
            int at = text[search..].IndexOf('@');
            if (at < 0)
            {
                break;
            }

            at += search;
            search = at + 1;

            int localStart = at;
            while (localStart > from && IsLocal(text[localStart - 1]))
            {
                localStart--;
            }

            // Dots before the address ("…alice@x.ch") are punctuation, not part of it.
            while (localStart < at && text[localStart] == '.')
            {
                localStart++;
            }

            if (localStart == at || text[at - 1] == '.')
            {
                continue;
            }

            int domainEnd = at + 1;
            while (domainEnd < text.Length && domainEnd - at <= MaxDomainLength && IsDomain(text[domainEnd]))
            {
                domainEnd++;
            }

            // A sentence may end right after the address.
            while (domainEnd > at + 1 && text[domainEnd - 1] is '.' or '-')
            {
                domainEnd--;
            }

            if (IsValidDomain(text[(at + 1)..domainEnd]))
            {
                start = localStart;
                length = domainEnd - localStart;
                return true;
            }
        }

        start = length = 0;
        return false;
    }

    private static bool IsLocal(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '%' or '+' or '-' || (c > '\x7F' && IsWordChar(c));

    private static bool IsDomain(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' || (c > '\x7F' && IsWordChar(c));

    /// <summary>A letter or digit of any script, a combining mark (<c>u</c> + U+0308 is <c>ü</c>), or half of a surrogate pair.</summary>
    private static bool IsWordChar(char c) =>
        char.IsLetterOrDigit(c) || char.IsSurrogate(c) ||
        char.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark;

    private static bool IsValidDomain(ReadOnlySpan<char> domain)
    {
        int labels = 0;
        int lastLabelStart = 0;
        int labelStart = 0;
        for (int i = 0; i <= domain.Length; i++)
        {
            if (i < domain.Length && domain[i] != '.')
            {
                continue;
            }

            int labelLength = i - labelStart;
            if (labelLength is 0 or > 63 || domain[labelStart] == '-' || domain[i - 1] == '-')
            {
                return false;
            }

            labels++;
            lastLabelStart = labelStart;
            labelStart = i + 1;
        }

        ReadOnlySpan<char> topLevel = domain[lastLabelStart..];
        if (labels < 2 || topLevel.Length < 2)
        {
            return false;
        }

        foreach (char c in topLevel)
        {
            if (!char.IsLetter(c) && char.GetUnicodeCategory(c) is not (UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark))
            {
                return false;
            }
        }

        return true;
    }
}
