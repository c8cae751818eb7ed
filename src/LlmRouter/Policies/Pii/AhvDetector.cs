namespace LlmRouter;

/// <summary>
/// Finds Swiss social security numbers (AHV/AVS): 13 digits starting with 756, written <c>756.1234.5678.97</c>,
/// <c>756 1234 5678 97</c> or compact, whose EAN-13 check digit is valid.
/// </summary>
internal static class AhvDetector
{
    private const int Digits = 13;

    public static bool TryFind(ReadOnlySpan<char> text, int from, out int start, out int length)
    {
        int search = from;
        while (search < text.Length)
        {
            int found = text[search..].IndexOf("756");
            if (found < 0)
            {
                break;
            }

            int p = search + found;
            search = p + 1;
            if (p > 0 && (char.IsAsciiLetterOrDigit(text[p - 1]) || text[p - 1] is '.' or ',' or '-' or '+'))
            {
                continue;
            }

            int end = Read(text, p);
            if (end > 0)
            {
                start = p;
                length = end - p;
                return true;
            }
        }

        start = length = 0;
        return false;
    }

    /// <summary>Reads 3-4-4-2 digits with one consistent separator (or none) and checks the check digit; returns the end, or 0.</summary>
    private static int Read(ReadOnlySpan<char> text, int p)
    {
        char separator = p + 3 < text.Length && text[p + 3] is '.' or ' ' ? text[p + 3] : '\0';
        ReadOnlySpan<int> groups = [3, 4, 4, 2];
        Span<byte> digits = stackalloc byte[Digits];
        int count = 0;
        int i = p;
        for (int g = 0; g < groups.Length; g++)
        {
            if (g > 0 && separator != '\0')
            {
                if (i >= text.Length || text[i] != separator)
                {
                    return 0;
                }

                i++;
            }

            for (int d = 0; d < groups[g]; d++, i++)
            {
                if (i >= text.Length || !char.IsAsciiDigit(text[i]))
                {
                    return 0;
                }

                digits[count++] = (byte)(text[i] - '0');
            }
        }

        bool boundary = i == text.Length ||
            !(char.IsAsciiLetterOrDigit(text[i]) || (text[i] is '.' or ',' or ' ' or '-' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])));
        return boundary && Ean13.IsValid(digits) ? i : 0;
    }
}
