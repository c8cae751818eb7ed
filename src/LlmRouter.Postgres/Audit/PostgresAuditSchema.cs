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

        // Views for dashboards and SQL users (docs/dashboard.md). They never select a content column, the user, the tags,
        // the error message or the PII findings: the read-only role sees only these. The daily views walk the days that
        // have records and read each day through the started_at index, so a filter on "day" reads only those days.
        // Days are UTC; "+ 24 hours" (not "+ 1 day") keeps them independent of the session's time zone.
        new(2, """
            CREATE VIEW audit_daily_spend AS
            SELECT d.day, s.tenant, s.key_id, s.served_model, s.provider, s.requests,
                   s.input_tokens, s.cached_input_tokens, s.cache_write_tokens, s.output_tokens, s.reasoning_tokens,
                   s.cost, s.unpriced_requests, s.estimated_requests
            FROM (
                SELECT generate_series(date_trunc('day', min(started_at) AT TIME ZONE 'UTC'), date_trunc('day', max(started_at) AT TIME ZONE 'UTC'), interval '1 day') AT TIME ZONE 'UTC' AS day
                FROM audit_records
            ) d
            CROSS JOIN LATERAL (
                SELECT r.tenant, r.key_id, r.served_model, r.provider, count(*) AS requests,
                       sum(r.input_tokens)::bigint AS input_tokens, sum(r.cached_input_tokens)::bigint AS cached_input_tokens,
                       sum(r.cache_write_tokens)::bigint AS cache_write_tokens, sum(r.output_tokens)::bigint AS output_tokens,
                       sum(r.reasoning_tokens)::bigint AS reasoning_tokens, COALESCE(sum(r.cost), 0) AS cost,
                       count(*) FILTER (WHERE r.price_unknown) AS unpriced_requests,
                       count(*) FILTER (WHERE r.tokens_estimated) AS estimated_requests
                FROM audit_records r
                WHERE r.started_at >= d.day AND r.started_at < d.day + interval '24 hours'
                GROUP BY r.tenant, r.key_id, r.served_model, r.provider
            ) s;

            CREATE VIEW audit_daily_requests AS
            SELECT d.day, s.tenant, s.key_id, s.requested_model, s.status, s.reason_code, s.error_class, s.requests
            FROM (
                SELECT generate_series(date_trunc('day', min(started_at) AT TIME ZONE 'UTC'), date_trunc('day', max(started_at) AT TIME ZONE 'UTC'), interval '1 day') AT TIME ZONE 'UTC' AS day
                FROM audit_records
            ) d
            CROSS JOIN LATERAL (
                SELECT r.tenant, r.key_id, r.requested_model, r.status, r.reason_code, r.error_class, count(*) AS requests
                FROM audit_records r
                WHERE r.started_at >= d.day AND r.started_at < d.day + interval '24 hours'
                GROUP BY r.tenant, r.key_id, r.requested_model, r.status, r.reason_code, r.error_class
            ) s;

            CREATE VIEW audit_request_facts AS
            SELECT r.id AS request_id, r.started_at, r.tenant, r.key_id, r.requested_model, r.served_model, r.provider,
                   r.provider_model, r.region, r.status, r.reason_code, r.error_class, r.streaming,
                   r.duration_us::double precision / 1000 AS duration_ms, r.ttft_us::double precision / 1000 AS ttft_ms,
                   (SELECT count(*) FROM jsonb_array_elements(r.attempts) a WHERE a ->> 'outcome' <> 'skipped') AS attempts,
                   r.input_tokens, r.cached_input_tokens, r.cache_write_tokens, r.output_tokens, r.reasoning_tokens,
                   r.tokens_estimated, r.cost, r.price_unknown
            FROM audit_records r;

            CREATE VIEW audit_fallbacks AS
            SELECT r.id AS request_id, r.started_at, r.tenant, r.key_id, r.requested_model,
                   f.attempt ->> 'model' AS from_model, f.attempt ->> 'provider' AS from_provider,
                   f.attempt ->> 'error_class' AS from_error_class,
                   r.served_model AS to_model, r.provider AS to_provider,
                   (SELECT count(*) FROM jsonb_array_elements(r.attempts) a WHERE a ->> 'outcome' = 'failed') AS failed_attempts
            FROM audit_records r
            CROSS JOIN LATERAL (
                SELECT a.attempt FROM jsonb_array_elements(r.attempts) WITH ORDINALITY AS a (attempt, n)
                WHERE a.attempt ->> 'outcome' = 'failed'
                ORDER BY a.n
                LIMIT 1
            ) f
            WHERE r.status = 'served' AND r.attempts @> '[{"outcome": "failed"}]'
            """),
    ];

    /// <summary>The views the read-only role may read (<see cref="PostgresStoreOptions.ReaderRole"/>): all of them, nothing else.</summary>
    public static readonly IReadOnlyList<string> Views = ["audit_daily_spend", "audit_daily_requests", "audit_request_facts", "audit_fallbacks"];
}
