namespace LlmRouter.Postgres;

/// <summary>The audit tables of the PostgreSQL store, as versioned migrations (component <c>audit</c>). Documented column by column in <c>docs/audit.md</c>.</summary>
internal static class PostgresAuditSchema
{
    public const string Component = "audit";

    /// <summary>Every column of <c>audit_records</c>, in the order the store copies and reads them.</summary>
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

    public static readonly IReadOnlyList<SchemaMigration> Migrations =
    [
        new(1, """
            CREATE TABLE audit_chains (
                chain_id uuid NOT NULL PRIMARY KEY,
                instance text NOT NULL,
                started_at timestamptz NOT NULL,
                last_seq bigint NOT NULL,
                last_hash text NOT NULL,
                updated_at timestamptz NOT NULL
            );
            CREATE TABLE audit_records (
                chain_id uuid NOT NULL,
                seq bigint NOT NULL,
                id uuid NOT NULL,
                prev_hash text NOT NULL,
                hash text NOT NULL,
                hash_version smallint NOT NULL,
                started_at timestamptz NOT NULL,
                completed_at timestamptz NOT NULL,
                duration_us bigint NOT NULL,
                ttft_us bigint,
                streaming boolean NOT NULL,
                key_id text,
                tenant text,
                user_id text,
                tags text[] NOT NULL,
                requested_model text,
                served_model text,
                provider text,
                provider_model text,
                region text,
                status text NOT NULL,
                reason_code text,
                error_class text,
                error_message text,
                attempts jsonb NOT NULL,
                input_tokens bigint NOT NULL,
                cached_input_tokens bigint NOT NULL,
                cache_write_tokens bigint NOT NULL,
                output_tokens bigint NOT NULL,
                reasoning_tokens bigint NOT NULL,
                tokens_estimated boolean NOT NULL,
                cost numeric,
                price_unknown boolean NOT NULL,
                price_input numeric,
                price_cached_input numeric,
                price_cache_write numeric,
                price_output numeric,
                price_reasoning numeric,
                price_source text,
                catalog_version text,
                pii_findings jsonb,
                content_mode text NOT NULL,
                request_content text,
                response_content text,
                content_truncated boolean NOT NULL,
                PRIMARY KEY (chain_id, seq)
            );
            CREATE UNIQUE INDEX audit_records_id ON audit_records (id);
            CREATE INDEX audit_records_started_at ON audit_records (started_at);
            CREATE INDEX audit_records_key ON audit_records (key_id, started_at);
            CREATE INDEX audit_records_tenant ON audit_records (tenant, started_at)
            """),
    ];
}
