namespace LlmRouter.Postgres;

/// <summary>
/// The budget tables and functions of the PostgreSQL store, as versioned migrations (component <c>budgets</c>). Money is
/// <c>numeric</c> (exact); a reservation and a settlement are each one call of a function, so one round trip and one
/// transaction.
/// </summary>
internal static class PostgresBudgetSchema
{
    public const string Component = "budgets";

    public static readonly IReadOnlyList<SchemaMigration> Migrations =
    [
        new(1, """
            CREATE TABLE budget_counters (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                scope text NOT NULL,
                name text NOT NULL,
                model text NOT NULL,
                period text NOT NULL,
                spent numeric NOT NULL DEFAULT 0,
                UNIQUE (scope, name, model, period)
            );

            CREATE TABLE budget_holds (
                reservation uuid NOT NULL,
                counter_id bigint NOT NULL REFERENCES budget_counters (id),
                amount numeric NOT NULL,
                expires_at timestamptz NOT NULL,
                PRIMARY KEY (reservation, counter_id)
            );

            CREATE INDEX budget_holds_by_counter ON budget_holds (counter_id, expires_at);

            -- Holds the amounts of the reservation on every line, or on none. Each counter row is locked (FOR UPDATE) before
            -- its holds are read; callers pass lines in one canonical order, so concurrent calls lock in the same order
            -- and cannot deadlock. Returns refused_line = -1 when granted, else the 0-based line that refused with its
            -- counter's committed spend and what other live holds reserve.
            CREATE FUNCTION llmrouter_budget_reserve(
                p_reservation uuid, p_now timestamptz, p_expires timestamptz, p_strict boolean,
                p_scopes text[], p_names text[], p_models text[], p_periods text[], p_limits numeric[], p_amounts numeric[])
            RETURNS TABLE (refused_line integer, spent numeric, reserved numeric)
            LANGUAGE plpgsql AS $$
            #variable_conflict use_column
            DECLARE
                n integer := coalesce(array_length(p_scopes, 1), 0);
                ids bigint[] := '{}';
                c_id bigint;
                c_spent numeric;
                others numeric;
                mine numeric;
            BEGIN
                FOR i IN 1..n LOOP
                    INSERT INTO budget_counters (scope, name, model, period)
                    VALUES (p_scopes[i], p_names[i], p_models[i], p_periods[i])
                    ON CONFLICT DO NOTHING;

                    SELECT c.id, c.spent INTO c_id, c_spent
                    FROM budget_counters c
                    WHERE c.scope = p_scopes[i] AND c.name = p_names[i] AND c.model = p_models[i] AND c.period = p_periods[i]
                    FOR UPDATE;

                    -- Holds of crashed processes go once their lease is over.
                    DELETE FROM budget_holds h WHERE h.counter_id = c_id AND h.expires_at <= p_now;

                    SELECT coalesce(sum(h.amount) FILTER (WHERE h.reservation <> p_reservation), 0),
                           coalesce(sum(h.amount) FILTER (WHERE h.reservation = p_reservation), 0)
                    INTO others, mine
                    FROM budget_holds h
                    WHERE h.counter_id = c_id;

                    IF p_amounts[i] > mine AND ((p_strict AND c_spent + others + p_amounts[i] > p_limits[i])
                                                OR (NOT p_strict AND c_spent >= p_limits[i])) THEN
                        RETURN QUERY SELECT i - 1, c_spent, others;
                        RETURN;
                    END IF;

                    ids := ids || c_id;
                END LOOP;

                FOR i IN 1..n LOOP
                    INSERT INTO budget_holds (reservation, counter_id, amount, expires_at)
                    VALUES (p_reservation, ids[i], p_amounts[i], p_expires)
                    ON CONFLICT (reservation, counter_id) DO UPDATE SET amount = EXCLUDED.amount, expires_at = EXCLUDED.expires_at;
                END LOOP;

                RETURN QUERY SELECT -1, 0::numeric, 0::numeric;
            END
            $$;

            -- Commits each charge (in the same canonical order) and releases every hold of the reservation; returns the
            -- committed spend of each line after the charge.
            CREATE FUNCTION llmrouter_budget_settle(
                p_reservation uuid, p_scopes text[], p_names text[], p_models text[], p_periods text[], p_amounts numeric[])
            RETURNS TABLE (line integer, spent numeric)
            LANGUAGE plpgsql AS $$
            #variable_conflict use_column
            DECLARE
                n integer := coalesce(array_length(p_scopes, 1), 0);
                total numeric;
            BEGIN
                FOR i IN 1..n LOOP
                    INSERT INTO budget_counters AS c (scope, name, model, period, spent)
                    VALUES (p_scopes[i], p_names[i], p_models[i], p_periods[i], p_amounts[i])
                    ON CONFLICT (scope, name, model, period) DO UPDATE SET spent = c.spent + EXCLUDED.spent
                    RETURNING c.spent INTO total;
                    RETURN QUERY SELECT i - 1, total;
                END LOOP;

                DELETE FROM budget_holds h WHERE h.reservation = p_reservation;
            END
            $$
            """),
    ];
}
