using System.Text;

namespace LlmRouter.Benchmarks;

/// <summary>Deterministic prompt text of a given UTF-8 size: business English with numbers, punctuation, some German and a little code.</summary>
internal static class PromptText
{
    private static readonly string[] Words =
    [
        "the", "invoice", "for", "March", "was", "sent", "to", "our", "client", "in", "Zürich", "and", "paid", "within", "30", "days",
        "please", "summarize", "contract", "clause", "4.2", "liability", "is", "limited", "to", "CHF", "250'000", "per", "year",
        "Rechnung", "gemäss", "Vertrag", "fällig", "—", "see", "section", "(b)", "of", "the", "agreement;", "if", "x", "==", "null",
        "return", "{", "\"amount\":", "1299.95,", "}", "quarterly", "report", "revenue", "grew", "by", "12%", "compared", "with", "2025.",
    ];

    public static string OfSize(int bytes)
    {
        var random = new Random(bytes);
        var text = new StringBuilder(bytes + 32);
        int size = 0;
        while (size < bytes)
        {
            string word = Words[random.Next(Words.Length)];
            text.Append(word).Append(random.Next(12) == 0 ? "\n" : " ");
            size += Encoding.UTF8.GetByteCount(word) + 1;
        }

        return text.ToString();
    }
}
