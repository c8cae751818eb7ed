using System.Buffers;

namespace LlmRouter;

/// <summary>
/// Finds payment card numbers: 13 to 19 digits, compact or grouped with single spaces or hyphens (the first group of
/// four), whose Luhn check digit is valid and whose prefix and length belong to a card network (Visa, Mastercard,
/// American Express, Discover, JCB, Diners Club, UnionPay, Maestro). Longer digit runs are never cards.
/// </summary>
internal static class PaymentCardDetector
{
    private const int MinDigits = 13;
    private const int MaxDigits = 19;

    // Card networks' numbers start with 2 to 6.
    private static readonly SearchValues<char> FirstDigits = SearchValues.Create("23456");

    public static bool TryFind(ReadOnlySpan<char> text, int from, out int start, out int length)
    {
        Span<byte> digits = stackalloc byte[MaxDigits + 1];
        int search = from;
        while (search < text.Length)
        {
            int found = text[search..].IndexOfAny(FirstDigits);
            if (found < 0)
            {
                break;
            }

            int p = search + found;
            search = p + 1;
            if (p > 0 && (char.IsAsciiLetterOrDigit(text[p - 1]) || text[p - 1] is '.' or ',' or '-' or '+' or '/'))
            {
                continue;
            }

            bool shaped = Read(text, p, digits, out int end, out int count);
            if (shaped && count is >= MinDigits and <= MaxDigits && IsNetwork(digits[..count]) && Luhn.IsValid(digits[..count]))
            {
                start = p;
                length = end - p;
                return true;
            }

            // A digit run that is not a card is skipped whole: its inner digits are not the start of a card either.
            search = Math.Max(search, end);
        }

        start = length = 0;
        return false;
    }

    /// <summary>Reads the digits and separators from <paramref name="p"/> up to <paramref name="end"/>; returns whether they are shaped like a card number.</summary>
    private static bool Read(ReadOnlySpan<char> text, int p, Span<byte> digits, out int end, out int count)
    {
        count = 0;
        char separator = '\0';
        int i = p;
        while (i < text.Length)
        {
            char c = text[i];
            if (char.IsAsciiDigit(c))
            {
                if (count == digits.Length)
                {
                    end = SkipRun(text, i);
                    return false;
                }

                digits[count++] = (byte)(c - '0');
                i++;
                continue;
            }

            bool groupSeparator = c is ' ' or '-' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1]) && (separator == '\0' ? count == 4 : c == separator);
            if (!groupSeparator)
            {
                break;
            }

            separator = c;
            i++;
        }

        end = i;
        return i == text.Length || !(char.IsAsciiLetter(text[i]) || (text[i] is '.' or ',' or '-' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])));
    }

    private static int SkipRun(ReadOnlySpan<char> text, int i)
    {
        while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] is ' ' or '-'))
        {
            i++;
        }

        return i;
    }

    private static bool IsNetwork(ReadOnlySpan<byte> d)
    {
        int length = d.Length;
        int two = (d[0] * 10) + d[1];
        int four = (two * 100) + (d[2] * 10) + d[3];
        return d[0] switch
        {
            4 => length is 13 or 16 or 19,                                                   // Visa
            2 => four is >= 2221 and <= 2720 && length == 16,                                  // Mastercard 2-series
            3 => (two is 34 or 37 && length == 15) ||                                          // American Express
                 (four is >= 3528 and <= 3589 && length >= 16) ||                              // JCB
                 ((two is 36 or 38 or 39 || four is >= 3000 and <= 3059) && length >= 14),      // Diners Club
            5 => (two is >= 51 and <= 55 && length == 16) ||                                   // Mastercard
                 two is 50 or (>= 56 and <= 58),                                               // Maestro
            6 => length >= 16,                                                                 // Discover, UnionPay, Maestro
            _ => false,
        };
    }
}
