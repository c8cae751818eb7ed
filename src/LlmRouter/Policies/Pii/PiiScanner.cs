namespace LlmRouter;

/// <summary>
/// Runs every detector over a text and collects what they find. Nothing is allocated for a text without personal data:
/// detectors read spans and search with vectorized <c>IndexOf</c> calls; the list of matches is created on the first find.
/// </summary>
/// <remarks>Where matches overlap, the kind that comes first in <see cref="PiiKind"/> wins (an IBAN's digits are not also a card number).</remarks>
internal static class PiiScanner
{
    private delegate bool Detector(ReadOnlySpan<char> text, int from, out int start, out int length);

    private static readonly Detector[] Detectors =
    [
        IbanDetector.TryFind,
        AhvDetector.TryFind,
        PaymentCardDetector.TryFind,
        EmailDetector.TryFind,
        IpAddressDetector.TryFind,
        PhoneDetector.TryFind,
    ];

    /// <summary>Finds personal data in <paramref name="text"/>, ordered by position.</summary>
    /// <returns>The matches, or <see langword="null"/> when there are none.</returns>
    public static List<PiiMatch>? Scan(ReadOnlySpan<char> text)
    {
        List<PiiMatch>? matches = null;
        for (int k = 0; k < Detectors.Length; k++)
        {
            int from = 0;
            while (from < text.Length && Detectors[k](text, from, out int start, out int length))
            {
                var match = new PiiMatch((PiiKind)k, start, length);
                from = match.End;
                if (matches is null)
                {
                    matches = [match];
                }
                else if (!OverlapsAny(matches, match))
                {
                    matches.Add(match);
                }
            }
        }

        if (matches is { Count: > 1 })
        {
            matches.Sort(static (a, b) => a.Start.CompareTo(b.Start));
        }

        return matches;
    }

    private static bool OverlapsAny(List<PiiMatch> matches, PiiMatch candidate)
    {
        foreach (PiiMatch match in matches)
        {
            if (match.Overlaps(candidate))
            {
                return true;
            }
        }

        return false;
    }
}
