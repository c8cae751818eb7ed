using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace LlmRouter;

/// <summary>
/// Computes a record's hash: SHA-256 over its canonical serialization, version 1. The serialization is one line per
/// field, in a fixed order, <c>name=value\n</c>, where a value is <c>-</c> for null or <c>{UTF-8 byte length}:{text}</c>;
/// lists are a count line followed by their items. <c>docs/audit.md</c> specifies every field and text form, so that an
/// auditor can recompute the hash without LlmRouter.
/// </summary>
/// <remarks>Not thread-safe: it reuses one buffer. The writer's single consumer owns one; the verifier owns another.</remarks>
internal sealed class AuditHasher
{
    private static readonly byte[] Header = "llmrouter-audit-record-v1\n"u8.ToArray();

    // The serialization, written in place: a record's is about 1.5 KB without content.
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);

    /// <summary>Computes the hash of a record at the given place in a chain, in lowercase hex.</summary>
    public string Compute(AuditRecord record, Guid chainId, long sequence, string previousHash)
    {
        Serialize(record, chainId, sequence, previousHash);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(_buffer.WrittenSpan, hash);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>Gets the canonical serialization of a record, as hashed.</summary>
    public byte[] Canonical(AuditRecord record, Guid chainId, long sequence, string previousHash)
    {
        Serialize(record, chainId, sequence, previousHash);
        return _buffer.WrittenSpan.ToArray();
    }

    private void Serialize(AuditRecord r, Guid chainId, long sequence, string previousHash)
    {
        _buffer.ResetWrittenCount();
        _buffer.Write(Header);
        Guid("chain_id"u8, chainId);
        Integer("seq"u8, sequence);
        Text("prev_hash"u8, previousHash);
        Guid("id"u8, r.Id);
        Timestamp("started_at"u8, r.StartedAt);
        Timestamp("completed_at"u8, r.CompletedAt);
        Integer("duration_us"u8, AuditText.ToMicroseconds(r.Duration));
        Integer("ttft_us"u8, r.TimeToFirstToken is { } ttft ? AuditText.ToMicroseconds(ttft) : null);
        Boolean("streaming"u8, r.Streaming);
        Text("key"u8, r.Key);
        Text("tenant"u8, r.Tenant);
        Text("user"u8, r.User);
        Integer("tags"u8, r.Tags.Count);
        for (int i = 0; i < r.Tags.Count; i++)
        {
            Text("tag"u8, r.Tags[i]);
        }

        Text("requested_model"u8, r.RequestedModel);
        Text("served_model"u8, r.ServedModel);
        Text("provider"u8, r.Provider);
        Text("provider_model"u8, r.ProviderModel);
        Text("region"u8, r.Region);
        Text("status"u8, AuditText.Status(r.Status));
        Text("reason_code"u8, r.ReasonCode);
        Text("error_class"u8, AuditText.Error(r.ErrorClass));
        Text("error_message"u8, r.ErrorMessage);
        Tokens(r.Tokens, r.TokensEstimated);
        Decimal("cost"u8, r.Cost);
        Boolean("price_unknown"u8, r.PriceUnknown);
        Prices(r.Prices);
        Text("price_source"u8, r.PriceSource);
        Text("catalog_version"u8, r.CatalogVersion);
        Pii(r.PiiFindings);
        Text("content_mode"u8, AuditText.Content(r.ContentMode));
        Text("request_content"u8, r.RequestContent);
        Text("response_content"u8, r.ResponseContent);
        Boolean("content_truncated"u8, r.ContentTruncated);
        Integer("attempts"u8, r.Attempts.Count);
        for (int i = 0; i < r.Attempts.Count; i++)
        {
            Attempt(r.Attempts[i]);
        }
    }

    private void Attempt(AuditAttempt a)
    {
        Text("attempt.model"u8, a.Model);
        Text("attempt.provider"u8, a.Provider);
        Text("attempt.provider_model"u8, a.ProviderModel);
        Text("attempt.region"u8, a.Region);
        Text("attempt.outcome"u8, AuditText.Outcome(a.Outcome));
        Text("attempt.skip_reason"u8, a.SkipReason);
        Text("attempt.error_class"u8, AuditText.Error(a.ErrorClass));
        Integer("attempt.status_code"u8, a.StatusCode);
        Text("attempt.error"u8, a.Error);
        Integer("attempt.retry_after_us"u8, a.RetryAfter is { } retryAfter ? AuditText.ToMicroseconds(retryAfter) : null);
        Boolean("attempt.output_started"u8, a.OutputStarted);
        Timestamp("attempt.started_at"u8, a.StartedAt);
        Integer("attempt.duration_us"u8, AuditText.ToMicroseconds(a.Duration));
        Integer("attempt.ttft_us"u8, a.TimeToFirstToken is { } ttft ? AuditText.ToMicroseconds(ttft) : null);
        Integer("attempt.input_tokens"u8, a.Tokens.InputTokens);
        Integer("attempt.cached_input_tokens"u8, a.Tokens.CachedInputTokens);
        Integer("attempt.cache_write_tokens"u8, a.Tokens.CacheWriteTokens);
        Integer("attempt.output_tokens"u8, a.Tokens.OutputTokens);
        Integer("attempt.reasoning_tokens"u8, a.Tokens.ReasoningTokens);
        Boolean("attempt.tokens_estimated"u8, a.TokensEstimated);
        Decimal("attempt.cost"u8, a.Cost);
        Boolean("attempt.price_unknown"u8, a.PriceUnknown);
        Decimal("attempt.price_input"u8, a.Prices?.InputPerMillion);
        Decimal("attempt.price_cached_input"u8, a.Prices?.CachedInputPerMillion);
        Decimal("attempt.price_cache_write"u8, a.Prices?.CacheWritePerMillion);
        Decimal("attempt.price_output"u8, a.Prices?.OutputPerMillion);
        Decimal("attempt.price_reasoning"u8, a.Prices?.ReasoningPerMillion);
        Text("attempt.price_source"u8, a.PriceSource);
        Text("attempt.catalog_version"u8, a.CatalogVersion);
    }

    private void Tokens(TokenUsage tokens, bool estimated)
    {
        Integer("input_tokens"u8, tokens.InputTokens);
        Integer("cached_input_tokens"u8, tokens.CachedInputTokens);
        Integer("cache_write_tokens"u8, tokens.CacheWriteTokens);
        Integer("output_tokens"u8, tokens.OutputTokens);
        Integer("reasoning_tokens"u8, tokens.ReasoningTokens);
        Boolean("tokens_estimated"u8, estimated);
    }

    private void Prices(PriceRates? prices)
    {
        Decimal("price_input"u8, prices?.InputPerMillion);
        Decimal("price_cached_input"u8, prices?.CachedInputPerMillion);
        Decimal("price_cache_write"u8, prices?.CacheWritePerMillion);
        Decimal("price_output"u8, prices?.OutputPerMillion);
        Decimal("price_reasoning"u8, prices?.ReasoningPerMillion);
    }

    private void Pii(IReadOnlyDictionary<string, int>? findings)
    {
        if (findings is null || findings.Count == 0)
        {
            Integer("pii"u8, 0);
            return;
        }

        string[] kinds = new string[findings.Count];
        int n = 0;
        foreach (string kind in findings.Keys)
        {
            kinds[n++] = kind;
        }

        Array.Sort(kinds, AuditText.CompareCodePoints);
        Integer("pii"u8, kinds.Length);
        foreach (string kind in kinds)
        {
            Text("pii.kind"u8, kind);
            Integer("pii.count"u8, findings[kind]);
        }
    }

    private void Guid(ReadOnlySpan<byte> name, Guid value)
    {
        Span<byte> text = stackalloc byte[36];
        value.TryFormat(text, out int written, "D");
        Line(name, text[..written]);
    }

    private void Integer(ReadOnlySpan<byte> name, long? value)
    {
        if (value is not long number)
        {
            Null(name);
            return;
        }

        Span<byte> text = stackalloc byte[20];
        number.TryFormat(text, out int written, provider: CultureInfo.InvariantCulture);
        Line(name, text[..written]);
    }

    private void Boolean(ReadOnlySpan<byte> name, bool value) => Line(name, value ? "true"u8 : "false"u8);

    private void Timestamp(ReadOnlySpan<byte> name, DateTimeOffset value)
    {
        Span<byte> text = stackalloc byte[AuditText.TimestampLength];
        Line(name, text[..AuditText.FormatTimestamp(value, text)]);
    }

    private void Decimal(ReadOnlySpan<byte> name, decimal? value)
    {
        if (value is not decimal number)
        {
            Null(name);
            return;
        }

        Span<byte> text = stackalloc byte[AuditText.MaxDecimalChars];
        Line(name, text[..AuditText.FormatDecimal(number, text)]);
    }

    private void Text(ReadOnlySpan<byte> name, string? value)
    {
        if (value is null)
        {
            Null(name);
            return;
        }

        // Most values are ASCII: narrowed in one pass, their length in bytes is their length in characters.
        Span<byte> line = _buffer.GetSpan(name.Length + 1 + 11 + 1 + (value.Length * 3) + 1);
        name.CopyTo(line);
        int at = name.Length;
        line[at++] = (byte)'=';
        int start = at;
        at += Count(value.Length, line[at..]);
        line[at++] = (byte)':';
        if (System.Text.Ascii.FromUtf16(value, line[at..], out int narrowed) == OperationStatus.Done)
        {
            at += narrowed;
        }
        else
        {
            at = start + Count(Encoding.UTF8.GetByteCount(value), line[start..]);
            line[at++] = (byte)':';
            at += Encoding.UTF8.GetBytes(value, line[at..]);
        }

        line[at++] = (byte)'\n';
        _buffer.Advance(at);
    }

    private void Null(ReadOnlySpan<byte> name)
    {
        _buffer.Write(name);
        _buffer.Write("=-\n"u8);
    }

    /// <summary>Writes <c>name={length}:{value}\n</c> for a value already in UTF-8.</summary>
    private void Line(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        Span<byte> line = _buffer.GetSpan(name.Length + 1 + 11 + 1 + value.Length + 1);
        name.CopyTo(line);
        int at = name.Length;
        line[at++] = (byte)'=';
        at += Count(value.Length, line[at..]);
        line[at++] = (byte)':';
        value.CopyTo(line[at..]);
        at += value.Length;
        line[at++] = (byte)'\n';
        _buffer.Advance(at);
    }

    private static int Count(int value, Span<byte> destination)
    {
        value.TryFormat(destination, out int digits, provider: CultureInfo.InvariantCulture);
        return digits;
    }
}
