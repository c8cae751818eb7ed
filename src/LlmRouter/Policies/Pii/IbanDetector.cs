using System.Buffers;

namespace LlmRouter;

/// <summary>
/// Finds IBANs: a country code, two check digits and 11 to 30 letters or digits, written compact
/// (<c>CH9300762011623852957</c>) or in groups of four (<c>CH93 0076 2011 6238 5295 7</c>), whose ISO 13616 mod-97
/// checksum is valid. The checksum is computed as the characters are read, so no candidate is copied.
/// </summary>
internal static class IbanDetector
{
    private const int MinLength = 15;
    private const int MaxLength = 34;

    // The first four characters move to the end: as a six-digit number they are added after shifting by 10^6 (mod 97).
    private const int ShiftBySixDigits = 1_000_000 % 97;

    private static readonly SearchValues<char> Digits = SearchValues.Create("0123456789");

    public static bool TryFind(ReadOnlySpan<char> text, int from, out int start, out int length)
    {
        int search = from + 2;
        while (search < text.Length)
        {
            int found = text[search..].IndexOfAny(Digits);
            if (found < 0)
            {
                break;
            }

            int digit = search + found;
            search = digit + 1;
            int p = digit - 2;
            if (p < from || digit + 1 >= text.Length || !char.IsAsciiLetter(text[p]) || !char.IsAsciiLetter(text[p + 1]) ||
                !char.IsAsciiDigit(text[digit + 1]) || (p > 0 && char.IsAsciiLetterOrDigit(text[p - 1])))
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

    /// <summary>Reads the longest valid IBAN starting at <paramref name="p"/>; returns its end, or 0.</summary>
    private static int Read(ReadOnlySpan<char> text, int p)
    {
        int head = (Value(text[p]) * 100) + Value(text[p + 1]);
        head = (head * 100) + ((text[p + 2] - '0') * 10) + (text[p + 3] - '0');

        int remainder = 0;
        int count = 4;
        int i = p + 4;
        int best = 0;
        while (i < text.Length && count < MaxLength)
        {
            char c = text[i];
            if (c == ' ' && count % 4 == 0 && i + 1 < text.Length && char.IsAsciiLetterOrDigit(text[i + 1]))
            {
                i++;
                continue;
            }

            if (!char.IsAsciiLetterOrDigit(c))
            {
                break;
            }

            int value = Value(c);
            remainder = ((remainder * (value >= 10 ? 100 : 10)) + value) % 97;
            count++;
            i++;
            if (count >= MinLength && (i == text.Length || !char.IsAsciiLetterOrDigit(text[i])) && ((remainder * ShiftBySixDigits) + head) % 97 == 1)
            {
                best = i;
            }
        }

        return best;
    }

    /// <summary>Digits are 0–9, letters 10–35 (either case).</summary>
    private static int Value(char c) => char.IsAsciiDigit(c) ? c - '0' : (c | 0x20) - 'a' + 10;
}
