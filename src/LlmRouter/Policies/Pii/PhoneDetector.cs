using System.Buffers;

namespace LlmRouter;

/// <summary>
/// Finds phone numbers, conservatively so that amounts, dates and reference numbers are not taken for one:
/// international numbers written with a country code (<c>+41 44 668 18 00</c>, <c>+1 (415) 555-2671</c>,
/// <c>0041 44 668 18 00</c>: 8 to 15 digits after the prefix), and Swiss national numbers in their usual grouping
/// (<c>044 668 18 00</c>, <c>079 123 45 67</c>). A bare run of digits is never a phone number.
/// </summary>
internal static class PhoneDetector
{
    private const int MinDigits = 8;
    private const int MaxDigits = 15;

    private static readonly SearchValues<char> Starts = SearchValues.Create("+0");

    public static bool TryFind(ReadOnlySpan<char> text, int from, out int start, out int length)
    {
        int search = from;
        while (search < text.Length)
        {
            int found = text[search..].IndexOfAny(Starts);
            if (found < 0)
            {
                break;
            }

            int p = search + found;
            search = p + 1;
            if (p > 0 && (char.IsAsciiLetterOrDigit(text[p - 1]) || text[p - 1] is '+' or '.' or ',' or '\'' or '-' or '/'))
            {
                continue;
            }

            int end;
            if (text[p] == '+')
            {
                end = International(text, p + 1);
            }
            else if (p + 2 < text.Length && text[p + 1] == '0' && text[p + 2] is >= '1' and <= '9')
            {
                end = International(text, p + 2);
            }
            else
            {
                end = SwissNational(text, p);
            }

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

    /// <summary>Reads digits in groups from <paramref name="p"/> (a country code's first digit); returns the end, or 0.</summary>
    private static int International(ReadOnlySpan<char> text, int p)
    {
        if (p >= text.Length || text[p] is < '1' or > '9')
        {
            return 0;
        }

        int digits = 0;
        int i = p;
        int end = p;
        while (i < text.Length)
        {
            if (char.IsAsciiDigit(text[i]))
            {
                digits++;
                i++;
                end = i;
                continue;
            }

            int separator = Separator(text, i);
            if (separator == 0 || i + separator >= text.Length || !char.IsAsciiDigit(text[i + separator]))
            {
                break;
            }

            i += separator;
        }

        return digits is >= MinDigits and <= MaxDigits && IsEnd(text, end) ? end : 0;
    }

    /// <summary>Reads <c>0dd ddd dd dd</c>; returns the end, or 0.</summary>
    private static int SwissNational(ReadOnlySpan<char> text, int p)
    {
        ReadOnlySpan<int> groups = [3, 3, 2, 2];
        if (p + 1 >= text.Length || text[p + 1] is < '1' or > '9')
        {
            return 0;
        }

        int i = p;
        for (int g = 0; g < groups.Length; g++)
        {
            if (g > 0)
            {
                if (i >= text.Length || text[i] != ' ')
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
            }
        }

        // "044 668 18 00 12" is some longer number, not this phone number.
        return IsEnd(text, i) && !(i + 1 < text.Length && text[i] == ' ' && char.IsAsciiDigit(text[i + 1])) ? i : 0;
    }

    /// <summary>The length of an allowed separator between digit groups at <paramref name="i"/>: one of <c>space - . /</c>, or a parenthesis with an optional space.</summary>
    private static int Separator(ReadOnlySpan<char> text, int i)
    {
        char c = text[i];
        if (c is ' ' or '-' or '.' or '/')
        {
            return i + 1 < text.Length && text[i + 1] == '(' ? 2 : 1;
        }

        if (c is '(' or ')')
        {
            return i + 1 < text.Length && text[i + 1] is ' ' or '-' ? 2 : 1;
        }

        return 0;
    }

    private static bool IsEnd(ReadOnlySpan<char> text, int end) =>
        end >= text.Length || !(char.IsAsciiLetterOrDigit(text[end]) || (text[end] is '.' or ',' && end + 1 < text.Length && char.IsAsciiDigit(text[end + 1])));
}
