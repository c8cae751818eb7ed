using System.Globalization;
using System.Text;

namespace LlmRouter;

/// <summary>
/// The stored text forms of audit values, shared by the stores and the hash: status, outcome, error class and content
/// mode names; timestamps to the microsecond; decimals without trailing zeros. Documented in <c>docs/audit.md</c>.
/// </summary>
internal static class AuditText
{
    public const string TimestampFormat = "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'ffffff'Z'";

    public const string ZeroHash = "0000000000000000000000000000000000000000000000000000000000000000";

    public static string Status(RouteStatus status) => status switch
    {
        RouteStatus.Served => "served",
        RouteStatus.Rejected => "rejected",
        RouteStatus.Failed => "failed",
        RouteStatus.Cancelled => "cancelled",
        _ => "pending",
    };

    public static RouteStatus ParseStatus(string text) => text switch
    {
        "served" => RouteStatus.Served,
        "rejected" => RouteStatus.Rejected,
        "failed" => RouteStatus.Failed,
        "cancelled" => RouteStatus.Cancelled,
        "pending" => RouteStatus.Pending,
        _ => throw new FormatException($"'{text}' is not an audit status."),
    };

    public static string Outcome(AttemptOutcome outcome) => outcome switch
    {
        AttemptOutcome.Succeeded => "succeeded",
        AttemptOutcome.Failed => "failed",
        AttemptOutcome.Skipped => "skipped",
        AttemptOutcome.Cancelled => "cancelled",
        _ => "pending",
    };

    public static AttemptOutcome ParseOutcome(string text) => text switch
    {
        "succeeded" => AttemptOutcome.Succeeded,
        "failed" => AttemptOutcome.Failed,
        "skipped" => AttemptOutcome.Skipped,
        "cancelled" => AttemptOutcome.Cancelled,
        "pending" => AttemptOutcome.Pending,
        _ => throw new FormatException($"'{text}' is not an attempt outcome."),
    };

    /// <summary>The stored name of an error class; <see langword="null"/> for <see cref="ErrorClass.None"/>.</summary>
    public static string? Error(ErrorClass? errorClass) => errorClass switch
    {
        null or LlmRouter.ErrorClass.None => null,
        LlmRouter.ErrorClass.RateLimited => "rate_limited",
        LlmRouter.ErrorClass.ServerError => "server_error",
        LlmRouter.ErrorClass.Timeout => "timeout",
        LlmRouter.ErrorClass.Network => "network",
        LlmRouter.ErrorClass.InvalidResponse => "invalid_response",
        LlmRouter.ErrorClass.NotFound => "not_found",
        LlmRouter.ErrorClass.ContextWindowExceeded => "context_window_exceeded",
        LlmRouter.ErrorClass.ContentFiltered => "content_filtered",
        LlmRouter.ErrorClass.Authentication => "authentication",
        LlmRouter.ErrorClass.BadRequest => "bad_request",
        _ => "unknown",
    };

    public static ErrorClass? ParseError(string? text) => text switch
    {
        null => null,
        "rate_limited" => LlmRouter.ErrorClass.RateLimited,
        "server_error" => LlmRouter.ErrorClass.ServerError,
        "timeout" => LlmRouter.ErrorClass.Timeout,
        "network" => LlmRouter.ErrorClass.Network,
        "invalid_response" => LlmRouter.ErrorClass.InvalidResponse,
        "not_found" => LlmRouter.ErrorClass.NotFound,
        "context_window_exceeded" => LlmRouter.ErrorClass.ContextWindowExceeded,
        "content_filtered" => LlmRouter.ErrorClass.ContentFiltered,
        "authentication" => LlmRouter.ErrorClass.Authentication,
        "bad_request" => LlmRouter.ErrorClass.BadRequest,
        "unknown" => LlmRouter.ErrorClass.Unknown,
        _ => throw new FormatException($"'{text}' is not an error class."),
    };

    public static string Content(AuditContentMode mode) => mode switch
    {
        AuditContentMode.Redacted => "redacted",
        AuditContentMode.Full => "full",
        _ => "none",
    };

    public static AuditContentMode ParseContent(string text) => text switch
    {
        "none" => AuditContentMode.None,
        "redacted" => AuditContentMode.Redacted,
        "full" => AuditContentMode.Full,
        _ => throw new FormatException($"'{text}' is not a content mode."),
    };

    public static string Timestamp(DateTimeOffset value)
    {
        Span<char> text = stackalloc char[27];
        return new string(text[..FormatTimestamp(value, text)]);
    }

    public static DateTimeOffset ParseTimestamp(string text) =>
        new(DateTime.SpecifyKind(DateTime.ParseExact(text, TimestampFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal), DateTimeKind.Utc));

    /// <summary>The canonical text of a decimal: invariant, no exponent, no trailing zeros, <c>0</c> for zero.</summary>
    public static string Decimal(decimal value)
    {
        Span<char> text = stackalloc char[MaxDecimalChars];
        return new string(text[..FormatDecimal(value, text)]);
    }

    /// <summary>The most characters (or bytes) <c>FormatDecimal</c> writes.</summary>
    public const int MaxDecimalChars = 40;

    /// <summary>Writes the canonical text of a decimal (see <see cref="Decimal(decimal)"/>); returns its length.</summary>
    public static int FormatDecimal(decimal value, Span<char> destination)
    {
        Span<byte> text = stackalloc byte[MaxDecimalChars];
        int length = FormatDecimal(value, text);
        System.Text.Ascii.ToUtf16(text[..length], destination, out _);
        return length;
    }

    /// <summary>
    /// Writes the canonical text of a decimal (see <see cref="Decimal(decimal)"/>) as UTF-8 (ASCII); returns its length.
    /// </summary>
    /// <remarks>
    /// Formats the decimal's integer mantissa and places the point by its scale, trailing zeros of the fraction cut — what
    /// the general format and the trimming did, at a fraction of the cost: the audit writer formats a dozen decimals per
    /// record (cost and unit prices, for the hash and for the store).
    /// </remarks>
    public static int FormatDecimal(decimal value, Span<byte> destination)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        ulong low = (uint)bits[0] | ((ulong)(uint)bits[1] << 32);
        uint high = (uint)bits[2];
        if (low == 0 && high == 0)
        {
            destination[0] = (byte)'0';
            return 1;
        }

        Span<byte> digits = stackalloc byte[29];
        int count;
        if (high == 0)
        {
            low.TryFormat(digits, out count, default, CultureInfo.InvariantCulture);
        }
        else
        {
            new UInt128(high, low).TryFormat(digits, out count, default, CultureInfo.InvariantCulture);
        }

        int scale = (bits[3] >> 16) & 0xFF;
        while (scale > 0 && digits[count - 1] == (byte)'0')
        {
            count--;
            scale--;
        }

        int at = 0;
        if (bits[3] < 0)
        {
            destination[at++] = (byte)'-';
        }

        if (scale == 0)
        {
            digits[..count].CopyTo(destination[at..]);
            return at + count;
        }

        int whole = count - scale;
        if (whole > 0)
        {
            digits[..whole].CopyTo(destination[at..]);
            at += whole;
            destination[at++] = (byte)'.';
            digits[whole..count].CopyTo(destination[at..]);
            return at + scale;
        }

        destination[at++] = (byte)'0';
        destination[at++] = (byte)'.';
        destination.Slice(at, -whole).Fill((byte)'0');
        at -= whole;
        digits[..count].CopyTo(destination[at..]);
        return at + count;
    }

    /// <summary>Writes a timestamp as <see cref="TimestampFormat"/> (27 characters); returns its length.</summary>
    public static int FormatTimestamp(DateTimeOffset value, Span<char> destination)
    {
        Span<byte> text = stackalloc byte[TimestampLength];
        FormatTimestamp(value, text);
        System.Text.Ascii.ToUtf16(text, destination, out _);
        return TimestampLength;
    }

    /// <summary>The length of a timestamp's text: 27.</summary>
    public const int TimestampLength = 27;

    /// <summary>Writes a timestamp as <see cref="TimestampFormat"/> in UTF-8 (27 bytes); returns its length.</summary>
    public static int FormatTimestamp(DateTimeOffset value, Span<byte> destination)
    {
        DateTime utc = value.UtcDateTime;
        Digits(destination, 0, utc.Year, 4);
        destination[4] = (byte)'-';
        Digits(destination, 5, utc.Month, 2);
        destination[7] = (byte)'-';
        Digits(destination, 8, utc.Day, 2);
        destination[10] = (byte)'T';
        Digits(destination, 11, utc.Hour, 2);
        destination[13] = (byte)':';
        Digits(destination, 14, utc.Minute, 2);
        destination[16] = (byte)':';
        Digits(destination, 17, utc.Second, 2);
        destination[19] = (byte)'.';
        Digits(destination, 20, (int)(utc.Ticks % TimeSpan.TicksPerSecond / 10), 6);
        destination[26] = (byte)'Z';
        return TimestampLength;
    }

    private static void Digits(Span<byte> destination, int at, int value, int count)
    {
        for (int i = at + count - 1; i >= at; i--)
        {
            destination[i] = (byte)('0' + (value % 10));
            value /= 10;
        }
    }

    public static decimal ParseDecimal(string text) => decimal.Parse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture);

    /// <summary>The same value without trailing zeros, so results from different stores print alike.</summary>
    public static decimal Normalize(decimal value) => ParseDecimal(Decimal(value));

    public static string Integer(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Cuts a timestamp to the microsecond, the precision both stores keep.</summary>
    public static DateTimeOffset Microseconds(DateTimeOffset value)
    {
        long ticks = value.UtcTicks;
        return new DateTimeOffset(ticks - (ticks % 10), TimeSpan.Zero);
    }

    /// <summary>Rounds a bound up to the microsecond: for records kept to the microsecond, <c>t &gt;= bound</c> holds exactly when <c>t &gt;= ceiling(bound)</c>.</summary>
    public static DateTimeOffset CeilingMicroseconds(DateTimeOffset value)
    {
        long ticks = value.UtcTicks;
        long rest = ticks % 10;
        return new DateTimeOffset(rest == 0 ? ticks : ticks + (10 - rest), TimeSpan.Zero);
    }

    /// <summary>Cuts a duration to the microsecond.</summary>
    public static TimeSpan Microseconds(TimeSpan value) => TimeSpan.FromTicks(value.Ticks - (value.Ticks % 10));

    public static long ToMicroseconds(TimeSpan value) => value.Ticks / 10;

    public static TimeSpan FromMicroseconds(long value) => TimeSpan.FromTicks(value * 10);

    /// <summary>
    /// Makes a string storable as text by every store: NUL characters (which PostgreSQL refuses) and unpaired surrogates
    /// (which are not valid UTF-8) become U+FFFD. The common case — nothing to replace — allocates nothing.
    /// </summary>
    public static string? Clean(string? text)
    {
        if (text is null)
        {
            return null;
        }

        ReadOnlySpan<char> span = text;
        if (span.IndexOf('\0') < 0 && span.IndexOfAnyInRange('\uD800', '\uDFFF') < 0)
        {
            return text;
        }

        return string.Create(text.Length, text, static (destination, source) =>
        {
            for (int i = 0; i < source.Length; i++)
            {
                char c = source[i];
                if (c == '\0')
                {
                    destination[i] = '\uFFFD';
                }
                else if (char.IsHighSurrogate(c) && i + 1 < source.Length && char.IsLowSurrogate(source[i + 1]))
                {
                    destination[i] = c;
                    destination[i + 1] = source[i + 1];
                    i++;
                }
                else
                {
                    destination[i] = char.IsSurrogate(c) ? '\uFFFD' : c;
                }
            }
        });
    }

    /// <summary>Compares two strings by Unicode code point (the order of their UTF-8 bytes), as the hash sorts PII kinds.</summary>
    public static int CompareCodePoints(string left, string right)
    {
        int i = 0;
        int j = 0;
        while (i < left.Length && j < right.Length)
        {
            Rune.DecodeFromUtf16(left.AsSpan(i), out Rune a, out int usedA);
            Rune.DecodeFromUtf16(right.AsSpan(j), out Rune b, out int usedB);
            if (a.Value != b.Value)
            {
                return a.Value.CompareTo(b.Value);
            }

            i += usedA;
            j += usedB;
        }

        return (left.Length - i).CompareTo(right.Length - j);
    }
}
