namespace LlmRouter.Sqlite;

/// <summary>The audit tables of the SQLite store, as versioned migrations (component <c>audit</c>). Documented column by column in <c>docs/audit.md</c>.</summary>
internal static class SqliteAuditSchema
{
    public const string Component = "audit";

    /// <summary>Every column of <c>audit_records</c>, in the order the store writes and reads them.</summary>
    public const string Columns = LeadingColumns + "request_content, response_content, content_truncated";

    /// <summary><see cref="Columns"/> with the two content columns read as null: what statements and reports read.</summary>
    public const string ColumnsWithoutContent = LeadingColumns + "NULL, NULL, content_truncated";

    /// <summary>The columns before the content columns.</summary>
    private const string LeadingColumns =
        "chain_id, seq, id, prev_hash, hash, hash_version, started_at, completed_at, duration_us, ttft_us, streaming, " +
        "key_id, tenant, user_id, tags, requested_model, served_model, provider, provider_model, region, " +
        "status, reason_code, error_class, error_message, attempts, " +
        "input_tokens, cached_input_tokens, cache_write_tokens, output_tokens, reasoning_tokens, tokens_estimated, " +
        "cost, price_unknown, price_input, price_cached_input, price_cache_write, price_output, price_reasoning, price_source, catalog_version, " +
        "pii_findings, content_mode, ";

    public const int ColumnCount = 45;

    public static readonly IReadOnlyList<SchemaMigration> Migrations =
    [
        new(1, """
            CREATE TABLE audit_chains (
                chain_id TEXT NOT NULL PRIMARY KEY,
                instance TEXT NOT NULL,
                started_at TEXT NOT NULL,
                last_seq INTEGER NOT NULL,
                last_hash TEXT NOT NULL,
                updated_at TEXT NOT NULL
            ) STRICT;
            CREATE TABLE audit_records (
                chain_id TEXT NOT NULL,
                seq INTEGER NOT NULL,
                id TEXT NOT NULL,
                prev_hash TEXT NOT NULL,
                hash TEXT NOT NULL,
                hash_version INTEGER NOT NULL,
                started_at TEXT NOT NULL,
                completed_at TEXT NOT NULL,
                duration_us INTEGER NOT NULL,
                ttft_us INTEGER,
                streaming INTEGER NOT NULL,
                key_id TEXT,
                tenant TEXT,
                user_id TEXT,
                tags TEXT,
                requested_model TEXT,
                served_model TEXT,
                provider TEXT,
                provider_model TEXT,
                region TEXT,
                status TEXT NOT NULL,
                reason_code TEXT,
                error_class TEXT,
                error_message TEXT,
                attempts TEXT NOT NULL,
                input_tokens INTEGER NOT NULL,
                cached_input_tokens INTEGER NOT NULL,
                cache_write_tokens INTEGER NOT NULL,
                output_tokens INTEGER NOT NULL,
                reasoning_tokens INTEGER NOT NULL,
                tokens_estimated INTEGER NOT NULL,
                cost TEXT,
                price_unknown INTEGER NOT NULL,
                price_input TEXT,
                price_cached_input TEXT,
                price_cache_write TEXT,
                price_output TEXT,
                price_reasoning TEXT,
                price_source TEXT,
                catalog_version TEXT,
                pii_findings TEXT,
                content_mode TEXT NOT NULL,
                request_content TEXT,
                response_content TEXT,
                content_truncated INTEGER NOT NULL,
                PRIMARY KEY (chain_id, seq)
            ) STRICT;
            CREATE UNIQUE INDEX audit_records_id ON audit_records (id);
            CREATE INDEX audit_records_started_at ON audit_records (started_at);
            CREATE INDEX audit_records_key ON audit_records (key_id, started_at);
            CREATE INDEX audit_records_tenant ON audit_records (tenant, started_at)
            """),
    ];
}
