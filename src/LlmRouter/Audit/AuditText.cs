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

    /// <summary>The most characters <see cref="FormatDecimal"/> writes.</summary>
    public const int MaxDecimalChars = 40;

    /// <summary>Writes the canonical text of a decimal (see <see cref="Decimal(decimal)"/>); returns its length.</summary>
    public static int FormatDecimal(decimal value, Span<char> destination)
    {
        // A decimal's general format never uses an exponent; it keeps the value's scale, so trailing zeros are cut here.
        value.TryFormat(destination, out int length, default, CultureInfo.InvariantCulture);
        if (destination[..length].Contains('.'))
        {
            while (destination[length - 1] == '0')
            {
                length--;
            }

            if (destination[length - 1] == '.')
            {
                length--;
            }
        }

        if (length == 2 && destination[0] == '-' && destination[1] == '0')
        {
            destination[0] = '0';
            length = 1;
        }

        return length;
    }

    /// <summary>Writes a timestamp as <see cref="TimestampFormat"/> (27 characters); returns its length.</summary>
    public static int FormatTimestamp(DateTimeOffset value, Span<char> destination)
    {
        DateTime utc = value.UtcDateTime;
        Digits(destination, 0, utc.Year, 4);
        destination[4] = '-';
        Digits(destination, 5, utc.Month, 2);
        destination[7] = '-';
        Digits(destination, 8, utc.Day, 2);
        destination[10] = 'T';
        Digits(destination, 11, utc.Hour, 2);
        destination[13] = ':';
        Digits(destination, 14, utc.Minute, 2);
        destination[16] = ':';
        Digits(destination, 17, utc.Second, 2);
        destination[19] = '.';
        Digits(destination, 20, (int)(utc.Ticks % TimeSpan.TicksPerSecond / 10), 6);
        destination[26] = 'Z';
        return 27;
    }

    private static void Digits(Span<char> destination, int at, int value, int count)
    {
        for (int i = at + count - 1; i >= at; i--)
        {
            destination[i] = (char)('0' + (value % 10));
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
