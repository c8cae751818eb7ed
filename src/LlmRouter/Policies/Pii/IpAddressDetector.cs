using System.Buffers;
using System.Net;
using System.Net.Sockets;

namespace LlmRouter;

/// <summary>
/// Finds IP addresses: IPv4 in dotted-quad form (four octets 0–255 without leading zeros, not part of a longer dotted
/// number such as a version) and IPv6 in any textual form (validated by <see cref="IPAddress.TryParse(ReadOnlySpan{char}, out IPAddress?)"/>)
/// with at least two groups and a digit, so <c>::1</c>, times and C++ scopes (<c>std::vector</c>) are not taken for one.
/// </summary>
internal static class IpAddressDetector
{
    private const int MaxIpv6Length = 45;

    private static readonly SearchValues<char> Ipv6Chars = SearchValues.Create("0123456789abcdefABCDEF:.");

    private static readonly SearchValues<char> Digits = SearchValues.Create("0123456789");

    public static bool TryFind(ReadOnlySpan<char> text, int from, out int start, out int length)
    {
        bool v4 = TryFindIpv4(text, from, out int v4Start, out int v4Length);
        bool v6 = TryFindIpv6(text, from, out int v6Start, out int v6Length);
        if (v6 && (!v4 || v6Start <= v4Start))
        {
            (start, length) = (v6Start, v6Length);
            return true;
        }

        (start, length) = (v4Start, v4Length);
        return v4;
    }

    private static bool TryFindIpv4(ReadOnlySpan<char> text, int from, out int start, out int length)
    {
        int search = from;
        while (search < text.Length)
        {
            int found = text[search..].IndexOf('.');
            if (found < 0)
            {
                break;
            }

            // Walk back from the first dot to the first octet's start.
            int dot = search + found;
            search = dot + 1;
            int p = dot;
            while (p > from && dot - p < 3 && char.IsAsciiDigit(text[p - 1]))
            {
                p--;
            }

            if (p == dot || (p > 0 && (char.IsAsciiLetterOrDigit(text[p - 1]) || text[p - 1] is '.' or ':')))
            {
                continue;
            }

            int end = ReadIpv4(text, p);
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

    private static int ReadIpv4(ReadOnlySpan<char> text, int p)
    {
        int i = p;
        for (int octet = 0; octet < 4; octet++)
        {
            if (octet > 0)
            {
                if (i >= text.Length || text[i] != '.')
                {
                    return 0;
                }

                i++;
            }

            int digitsStart = i;
            int value = 0;
            while (i < text.Length && char.IsAsciiDigit(text[i]) && i - digitsStart < 4)
            {
                value = (value * 10) + (text[i] - '0');
                i++;
            }

            int digits = i - digitsStart;
            if (digits is 0 or > 3 || value > 255 || (digits > 1 && text[digitsStart] == '0'))
            {
                return 0;
            }
        }

        // "1.2.3.4.5" is a version, not an address; "10.0.0.1:8080" is an address and a port.
        bool longer = i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || (text[i] == '.' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])));
        return longer ? 0 : i;
    }

    private static bool TryFindIpv6(ReadOnlySpan<char> text, int from, out int start, out int length)
    {
        int search = from;
        while (search < text.Length)
        {
            int found = text[search..].IndexOf(':');
            if (found < 0)
            {
                break;
            }

            int colon = search + found;
            int p = colon;
            while (p > from && Ipv6Chars.Contains(text[p - 1]))
            {
                p--;
            }

            int end = colon;
            while (end < text.Length && Ipv6Chars.Contains(text[end]))
            {
                end++;
            }

            search = end;

            // A sentence may end right after the address.
            while (end > p && text[end - 1] == '.')
            {
                end--;
            }

            if ((p > 0 && (char.IsAsciiLetterOrDigit(text[p - 1]) || text[p - 1] == '_')) ||
                (end < text.Length && (char.IsAsciiLetterOrDigit(text[end]) || text[end] == '_')) ||
                !LooksLikeAddress(text[p..end]))
            {
                continue;
            }

            start = p;
            length = end - p;
            return true;
        }

        start = length = 0;
        return false;
    }

    private static bool LooksLikeAddress(ReadOnlySpan<char> candidate)
    {
        if (candidate.Length is < 3 or > MaxIpv6Length || candidate.Count(':') < 2 || !candidate.ContainsAny(Digits))
        {
            return false;
        }

        int groups = 0;
        foreach (Range group in candidate.Split(':'))
        {
            if (!candidate[group].IsEmpty)
            {
                groups++;
            }
        }

        return groups >= 2 && IPAddress.TryParse(candidate, out IPAddress? address) && address.AddressFamily == AddressFamily.InterNetworkV6;
    }
}
