using System.Buffers;
using System.Text;
using System.Text.Json;

namespace LlmRouter;

/// <summary>
/// The JSON forms the stores keep for a record's attempts, tags and PII findings (the shape is documented in
/// <c>docs/audit.md</c>). Null members are left out. Written without reflection, so the writer's path stays cheap.
/// </summary>
/// <remarks>Not thread-safe: an instance reuses its buffer. Each store's write path owns one.</remarks>
internal sealed class AuditJson : IDisposable
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The characters a JSON string holds as they are under the relaxed encoder: printable ASCII but <c>"</c> and <c>\</c>.</summary>
    private static readonly SearchValues<char> Plain = SearchValues.Create(
        " !#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~");

    private readonly ArrayBufferWriter<byte> _buffer = new(2048);
    private readonly Utf8JsonWriter _writer;

    // The attempts' JSON, written in place (see Attempt): the store's write path makes one per record.
    private readonly ArrayBufferWriter<byte> _attempts = new(2048);

    public AuditJson() => _writer = new Utf8JsonWriter(_buffer, WriterOptions);

    public void Dispose() => _writer.Dispose();

    public string Attempts(IReadOnlyList<AuditAttempt> attempts) => Encoding.UTF8.GetString(AttemptsUtf8(attempts));

    /// <summary>The attempts as UTF-8 JSON, valid until this instance is used again.</summary>
    public ReadOnlySpan<byte> AttemptsUtf8(IReadOnlyList<AuditAttempt> attempts)
    {
        _attempts.ResetWrittenCount();
        Raw("["u8);
        for (int i = 0; i < attempts.Count; i++)
        {
            if (i > 0)
            {
                Raw(","u8);
            }

            Attempt(attempts[i]);
        }

        Raw("]"u8);
        return _attempts.WrittenSpan;
    }

    /// <summary>The tags as a JSON array, or <see langword="null"/> when there are none.</summary>
    public string? Tags(IReadOnlyList<string> tags)
    {
        if (tags.Count == 0)
        {
            return null;
        }

        Begin();
        _writer.WriteStartArray();
        for (int i = 0; i < tags.Count; i++)
        {
            _writer.WriteStringValue(tags[i]);
        }

        _writer.WriteEndArray();
        return End();
    }

    /// <summary>The findings as a JSON object, or <see langword="null"/> when there are none.</summary>
    public string? Pii(IReadOnlyDictionary<string, int>? findings)
    {
        if (findings is null || findings.Count == 0)
        {
            return null;
        }

        Begin();
        _writer.WriteStartObject();
        foreach (KeyValuePair<string, int> finding in findings)
        {
            _writer.WriteNumber(finding.Key, finding.Value);
        }

        _writer.WriteEndObject();
        return End();
    }

    public static AuditAttempt[] ReadAttempts(string json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        JsonElement array = document.RootElement;
        var attempts = new AuditAttempt[array.GetArrayLength()];
        int i = 0;
        foreach (JsonElement a in array.EnumerateArray())
        {
            decimal? priceInput = Decimal(a, "price_input");
            attempts[i++] = new AuditAttempt
            {
                Model = String(a, "model") ?? string.Empty,
                Provider = String(a, "provider"),
                ProviderModel = String(a, "provider_model"),
                Region = String(a, "region"),
                Outcome = AuditText.ParseOutcome(String(a, "outcome") ?? "pending"),
                SkipReason = String(a, "skip_reason"),
                ErrorClass = AuditText.ParseError(String(a, "error_class")) ?? ErrorClass.None,
                StatusCode = a.TryGetProperty("status_code", out JsonElement status) ? status.GetInt32() : null,
                Error = String(a, "error"),
                RetryAfter = Long(a, "retry_after_us") is long retry ? AuditText.FromMicroseconds(retry) : null,
                OutputStarted = Bool(a, "output_started"),
                StartedAt = AuditText.ParseTimestamp(String(a, "started_at")!),
                Duration = AuditText.FromMicroseconds(Long(a, "duration_us") ?? 0),
                TimeToFirstToken = Long(a, "ttft_us") is long ttft ? AuditText.FromMicroseconds(ttft) : null,
                Tokens = new TokenUsage
                {
                    InputTokens = Long(a, "input_tokens") ?? 0,
                    CachedInputTokens = Long(a, "cached_input_tokens") ?? 0,
                    CacheWriteTokens = Long(a, "cache_write_tokens") ?? 0,
                    OutputTokens = Long(a, "output_tokens") ?? 0,
                    ReasoningTokens = Long(a, "reasoning_tokens") ?? 0,
                },
                TokensEstimated = Bool(a, "tokens_estimated"),
                Cost = Decimal(a, "cost"),
                PriceUnknown = Bool(a, "price_unknown"),
                Prices = priceInput is null ? null : new PriceRates
                {
                    InputPerMillion = priceInput.Value,
                    CachedInputPerMillion = Decimal(a, "price_cached_input") ?? 0,
                    CacheWritePerMillion = Decimal(a, "price_cache_write") ?? 0,
                    OutputPerMillion = Decimal(a, "price_output") ?? 0,
                    ReasoningPerMillion = Decimal(a, "price_reasoning") ?? 0,
                },
                PriceSource = String(a, "price_source"),
                CatalogVersion = String(a, "catalog_version"),
            };
        }

        return attempts;
    }

    public static string[] ReadTags(string? json)
    {
        if (json is null)
        {
            return [];
        }

        using JsonDocument document = JsonDocument.Parse(json);
        var tags = new string[document.RootElement.GetArrayLength()];
        int i = 0;
        foreach (JsonElement tag in document.RootElement.EnumerateArray())
        {
            tags[i++] = tag.GetString()!;
        }

        return tags;
    }

    public static Dictionary<string, int>? ReadPii(string? json)
    {
        if (json is null)
        {
            return null;
        }

        using JsonDocument document = JsonDocument.Parse(json);
        var findings = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (JsonProperty finding in document.RootElement.EnumerateObject())
        {
            findings[finding.Name] = finding.Value.GetInt32();
        }

        return findings.Count == 0 ? null : findings;
    }

    /// <summary>
    /// Writes one attempt as a JSON object, null members left out — the same text <see cref="Utf8JsonWriter"/> wrote with
    /// the relaxed encoder, but for decimals, which are written without trailing zeros (the same values). Written by
    /// hand: the store's write path makes one per record, and the general-purpose writer's checks cost more than the
    /// rest of the row's binding.
    /// </summary>
    private void Attempt(AuditAttempt a)
    {
        Raw("{\"model\":"u8);
        Quoted(a.Model);
        Optional(",\"provider\":"u8, a.Provider);
        Optional(",\"provider_model\":"u8, a.ProviderModel);
        Optional(",\"region\":"u8, a.Region);
        Raw(",\"outcome\":"u8);
        Quoted(AuditText.Outcome(a.Outcome));
        Optional(",\"skip_reason\":"u8, a.SkipReason);
        Optional(",\"error_class\":"u8, AuditText.Error(a.ErrorClass));
        if (a.StatusCode is int status)
        {
            Number(",\"status_code\":"u8, status);
        }

        Optional(",\"error\":"u8, a.Error);
        if (a.RetryAfter is { } retryAfter)
        {
            Number(",\"retry_after_us\":"u8, AuditText.ToMicroseconds(retryAfter));
        }

        Boolean(",\"output_started\":"u8, a.OutputStarted);
        Raw(",\"started_at\":\""u8);
        _attempts.Advance(AuditText.FormatTimestamp(a.StartedAt, _attempts.GetSpan(AuditText.TimestampLength)));
        Raw("\""u8);
        Number(",\"duration_us\":"u8, AuditText.ToMicroseconds(a.Duration));
        if (a.TimeToFirstToken is { } ttft)
        {
            Number(",\"ttft_us\":"u8, AuditText.ToMicroseconds(ttft));
        }

        Number(",\"input_tokens\":"u8, a.Tokens.InputTokens);
        Number(",\"cached_input_tokens\":"u8, a.Tokens.CachedInputTokens);
        Number(",\"cache_write_tokens\":"u8, a.Tokens.CacheWriteTokens);
        Number(",\"output_tokens\":"u8, a.Tokens.OutputTokens);
        Number(",\"reasoning_tokens\":"u8, a.Tokens.ReasoningTokens);
        Boolean(",\"tokens_estimated\":"u8, a.TokensEstimated);
        if (a.Cost is decimal cost)
        {
            Number(",\"cost\":"u8, cost);
        }

        Boolean(",\"price_unknown\":"u8, a.PriceUnknown);
        if (a.Prices is { } prices)
        {
            Number(",\"price_input\":"u8, prices.InputPerMillion);
            Number(",\"price_cached_input\":"u8, prices.CachedInputPerMillion);
            Number(",\"price_cache_write\":"u8, prices.CacheWritePerMillion);
            Number(",\"price_output\":"u8, prices.OutputPerMillion);
            Number(",\"price_reasoning\":"u8, prices.ReasoningPerMillion);
        }

        Optional(",\"price_source\":"u8, a.PriceSource);
        Optional(",\"catalog_version\":"u8, a.CatalogVersion);
        Raw("}"u8);
    }

    private void Optional(ReadOnlySpan<byte> member, string? value)
    {
        if (value is not null)
        {
            Raw(member);
            Quoted(value);
        }
    }

    private void Boolean(ReadOnlySpan<byte> member, bool value)
    {
        Raw(member);
        Raw(value ? "true"u8 : "false"u8);
    }

    private void Number(ReadOnlySpan<byte> member, long value)
    {
        Raw(member);
        value.TryFormat(_attempts.GetSpan(20), out int written, provider: System.Globalization.CultureInfo.InvariantCulture);
        _attempts.Advance(written);
    }

    private void Number(ReadOnlySpan<byte> member, decimal value)
    {
        Raw(member);
        _attempts.Advance(AuditText.FormatDecimal(value, _attempts.GetSpan(AuditText.MaxDecimalChars)));
    }

    /// <summary>A JSON string: plain text as it is, anything else escaped by the relaxed encoder, as the writer did.</summary>
    private void Quoted(string value)
    {
        if (value.AsSpan().IndexOfAnyExcept(Plain) < 0)
        {
            Span<byte> text = _attempts.GetSpan(value.Length + 2);
            text[0] = (byte)'"';
            System.Text.Ascii.FromUtf16(value, text[1..], out int written);
            text[1 + written] = (byte)'"';
            _attempts.Advance(written + 2);
            return;
        }

        JsonEncodedText escaped = JsonEncodedText.Encode(value, WriterOptions.Encoder);
        Raw("\""u8);
        Raw(escaped.EncodedUtf8Bytes);
        Raw("\""u8);
    }

    private void Raw(ReadOnlySpan<byte> bytes) => _attempts.Write(bytes);

    private void Begin()
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
    }

    private string End()
    {
        _writer.Flush();
        return Encoding.UTF8.GetString(_buffer.WrittenSpan);
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static long? Long(JsonElement element, string name) =>
        element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : null;

    private static decimal? Decimal(JsonElement element, string name) =>
        element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Number ? value.GetDecimal() : null;

    private static bool Bool(JsonElement element, string name) =>
        element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.True;
}
