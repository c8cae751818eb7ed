using System.Globalization;

namespace LlmRouter.Tests.Audit;

public class AuditTextTests
{
    [Theory]
    [InlineData("1.500", "1.5")]
    [InlineData("0.0000250", "0.000025")]
    [InlineData("100", "100")]
    [InlineData("100.00", "100")]
    [InlineData("0", "0")]
    [InlineData("0.000", "0")]
    [InlineData("-2.50", "-2.5")]
    [InlineData("0.0000000000000000000000000001", "0.0000000000000000000000000001")]
    [InlineData("79228162514264337593543950335", "79228162514264337593543950335")]
    public void Decimals_are_written_without_exponent_or_trailing_zeros(string value, string canonical)
    {
        decimal number = decimal.Parse(value, CultureInfo.InvariantCulture);

        Assert.Equal(canonical, AuditText.Decimal(number));
        Assert.Equal(number, AuditText.ParseDecimal(canonical));
    }

    [Fact]
    public void Any_decimal_is_written_as_its_general_format_without_trailing_zeros_in_text_and_in_UTF8()
    {
        var random = new Random(9);
        Span<byte> utf8 = stackalloc byte[AuditText.MaxDecimalChars];
        for (int i = 0; i < 20_000; i++)
        {
            var number = new decimal(random.Next(), i % 3 == 0 ? random.Next() : 0, i % 7 == 0 ? random.Next() : 0, random.Next(2) == 0, (byte)random.Next(29));

            string expected = GeneralWithoutTrailingZeros(number);

            Assert.Equal(expected, AuditText.Decimal(number));
            Assert.Equal(expected, System.Text.Encoding.ASCII.GetString(utf8[..AuditText.FormatDecimal(number, utf8)]));
        }
    }

    [Fact]
    public void Timestamps_are_UTC_to_the_microsecond_and_read_back_exactly()
    {
        var random = new Random(5);
        for (int i = 0; i < 1000; i++)
        {
            var value = new DateTimeOffset(random.NextInt64(new DateTime(1970, 1, 1).Ticks, new DateTime(2200, 1, 1).Ticks), TimeSpan.Zero);
            DateTimeOffset micro = AuditText.Microseconds(value);

            string text = AuditText.Timestamp(micro);

            Assert.Equal(micro.UtcDateTime.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'ffffff'Z'", CultureInfo.InvariantCulture), text);
            Assert.Equal(micro, AuditText.ParseTimestamp(text));
        }

        Assert.Equal("2026-11-25T08:00:00.000001Z", AuditText.Timestamp(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.FromHours(1)).AddTicks(10)));
    }

    [Fact]
    public void Text_that_no_store_could_keep_is_made_storable()
    {
        Assert.Equal("a\uFFFDb\uFFFDc😀", AuditText.Clean("a\0b\uD800c😀"));
        string plain = "nothing to replace";
        Assert.Same(plain, AuditText.Clean(plain));
    }

    /// <summary>The reference: the decimal's general format (never an exponent), trailing zeros of the fraction cut, <c>0</c> for negative zero.</summary>
    private static string GeneralWithoutTrailingZeros(decimal number)
    {
        string text = number.ToString(CultureInfo.InvariantCulture);
        if (text.Contains('.', StringComparison.Ordinal))
        {
            text = text.TrimEnd('0').TrimEnd('.');
        }

        return text == "-0" ? "0" : text;
    }
}
