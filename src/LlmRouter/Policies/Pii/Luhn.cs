namespace LlmRouter;

/// <summary>The Luhn (mod 10) check digit used by payment card numbers.</summary>
internal static class Luhn
{
    public static bool IsValid(ReadOnlySpan<byte> digits)
    {
        int sum = 0;
        bool doubled = false;
        for (int i = digits.Length - 1; i >= 0; i--)
        {
            int d = digits[i];
            if (doubled)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
            doubled = !doubled;
        }

        return sum % 10 == 0;
    }
}
