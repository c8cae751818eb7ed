namespace LlmRouter;

/// <summary>The EAN-13 check digit, which the Swiss AHV/AVS number uses.</summary>
internal static class Ean13
{
    public static bool IsValid(ReadOnlySpan<byte> digits)
    {
        if (digits.Length != 13)
        {
            return false;
        }

        int sum = 0;
        for (int i = 0; i < 12; i++)
        {
            sum += digits[i] * (i % 2 == 0 ? 1 : 3);
        }

        return (10 - (sum % 10)) % 10 == digits[12];
    }
}
