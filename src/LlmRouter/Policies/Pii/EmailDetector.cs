namespace LlmRouter;

/// <summary>
/// Finds e-mail addresses: a local part of ASCII letters, digits and <c>. _ % + -</c>, an <c>@</c>, and a domain of at
/// least two dot-separated labels whose last is two or more letters. Scans for <c>@</c> only, so text without one costs
/// a single vectorized search.
/// </summary>
internal static class EmailDetector
{
    private const int MaxLocalLength = 64;
    private const int MaxDomainLength = 253;

    private static readonly System.Buffers.SearchValues<char> AsciiLetters =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

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
            while (localStart > from && at - localStart <= MaxLocalLength && IsLocal(text[localStart - 1]))
            {
                localStart--;
            }

            if (at - localStart > MaxLocalLength)
            {
                continue;
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

    private static bool IsLocal(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '%' or '+' or '-';

    private static bool IsDomain(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '-';

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
        return labels >= 2 && topLevel.Length >= 2 && !topLevel.ContainsAnyExcept(AsciiLetters);
    }
}
