using System.Globalization;

namespace LlmRouter;

/// <summary>
/// Builds one CSV record at a time (RFC 4180: comma-separated, CRLF-terminated, fields with a comma, quote or line break
/// quoted, quotes doubled), in invariant culture, into a reused buffer — no allocation per field.
/// </summary>
/// <remarks>
/// Text is made safe for spreadsheets: a field that starts with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, a tab or a
/// carriage return (which a spreadsheet would run as a formula) gets a leading apostrophe. Numbers are written as
/// they are. Not thread-safe.
/// </remarks>
internal sealed class CsvRow
{
    private const string DateTimeFormat = "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'ffffffzzz";

    private char[] _buffer = new char[1024];
    private int _length;
    private bool _first = true;

    public ReadOnlyMemory<char> Memory => _buffer.AsMemory(0, _length);

    /// <summary>Writes a header or any fixed line (ending it with CRLF).</summary>
    public CsvRow Line(string text)
    {
        Append(text);
        return End();
    }

    public CsvRow Text(string? value)
    {
        Separator();
        if (string.IsNullOrEmpty(value))
        {
            return this;
        }

        bool formula = value[0] is '=' or '+' or '-' or '@' or '\t' or '\r';
        bool quote = value.AsSpan().IndexOfAny(",\"\r\n") >= 0;
        if (quote)
        {
            Append('"');
        }

        if (formula)
        {
            Append('\'');
        }

        foreach (char c in value)
        {
            if (c == '"')
            {
                Append('"');
            }

            Append(c);
        }

        if (quote)
        {
            Append('"');
        }

        return this;
    }

    /// <summary>A UUID in its canonical form (<c>019a7b2c-1d2e-7f00-8abc-0123456789ab</c>).</summary>
    public CsvRow Guid(Guid value)
    {
        Separator();
        Ensure(36);
        value.TryFormat(_buffer.AsSpan(_length), out int written, "D");
        _length += written;
        return this;
    }

    public CsvRow Empty()
    {
        Separator();
        return this;
    }

    public CsvRow Integer(long value)
    {
        Separator();
        Ensure(20);
        value.TryFormat(_buffer.AsSpan(_length), out int written, default, CultureInfo.InvariantCulture);
        _length += written;
        return this;
    }

    /// <summary>An exact decimal: invariant, no exponent, no trailing zeros; empty for <see langword="null"/>.</summary>
    public CsvRow Decimal(decimal? value)
    {
        Separator();
        if (value is decimal number)
        {
            Ensure(AuditText.MaxDecimalChars);
            _length += AuditText.FormatDecimal(number, _buffer.AsSpan(_length));
        }

        return this;
    }

    public CsvRow Boolean(bool value)
    {
        Separator();
        Append(value ? "true" : "false");
        return this;
    }

    /// <summary>A UTC instant as the audit log keeps it: <c>2026-11-25T09:00:00.123456Z</c>.</summary>
    public CsvRow Utc(DateTimeOffset value)
    {
        Separator();
        Ensure(27);
        _length += AuditText.FormatTimestamp(value, _buffer.AsSpan(_length));
        return this;
    }

    /// <summary>An instant in a time zone, with its offset: <c>2026-11-25T10:00:00.123456+01:00</c>.</summary>
    public CsvRow Local(DateTimeOffset value, TimeZoneInfo zone)
    {
        Separator();
        Ensure(40);
        TimeZoneInfo.ConvertTime(value, zone).TryFormat(_buffer.AsSpan(_length), out int written, DateTimeFormat, CultureInfo.InvariantCulture);
        _length += written;
        return this;
    }

    public CsvRow Date(DateOnly value)
    {
        Separator();
        Ensure(10);
        value.TryFormat(_buffer.AsSpan(_length), out int written, "yyyy'-'MM'-'dd", CultureInfo.InvariantCulture);
        _length += written;
        return this;
    }

    /// <summary>Ends the record with CRLF; the next field starts a new record.</summary>
    public CsvRow End()
    {
        Append("\r\n");
        _first = true;
        return this;
    }

    /// <summary>Empties the buffer after it was written out.</summary>
    public void Clear()
    {
        _length = 0;
        _first = true;
    }

    private void Separator()
    {
        if (!_first)
        {
            Append(',');
        }

        _first = false;
    }

    private void Append(char c)
    {
        Ensure(1);
        _buffer[_length++] = c;
    }

    private void Append(string text)
    {
        Ensure(text.Length);
        text.CopyTo(_buffer.AsSpan(_length));
        _length += text.Length;
    }

    private void Ensure(int more)
    {
        if (_length + more > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + more));
        }
    }
}
