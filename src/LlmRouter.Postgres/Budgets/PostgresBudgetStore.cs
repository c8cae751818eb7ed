using System.Runtime.CompilerServices;
using Npgsql;
using NpgsqlTypes;

namespace LlmRouter.Postgres;

/// <summary>
/// The PostgreSQL <see cref="IBudgetStore"/>: budget counters and reservations shared by every instance of the
/// application. A reservation and a settlement are each one call of a function — one round trip, one transaction — that
/// locks the counter rows in canonical order and checks and holds all or nothing.
/// </summary>
/// <remarks>Money is <c>numeric</c>, exact. The schema (component <c>budgets</c>) is created or migrated on first use. Thread-safe.</remarks>
internal sealed class PostgresBudgetStore : IBudgetStore, IStoreProbe, IDisposable
{
    private readonly PostgresDatabase _database;
    private readonly SemaphoreSlim _schemaLock = new(1, 1);
    private volatile bool _migrated;

    public PostgresBudgetStore(PostgresDatabase database) => _database = database;

    public async ValueTask<BudgetDecision> ReserveAsync(BudgetReservation reservation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        IReadOnlyList<BudgetLine> lines = reservation.Lines;
        var counters = new CounterArrays(lines.Count);
        var limits = new decimal[lines.Count];
        var amounts = new decimal[lines.Count];
        for (int i = 0; i < lines.Count; i++)
        {
            counters.Set(i, lines[i].Counter);
            limits[i] = lines[i].Limit;
            amounts[i] = lines[i].Amount;
        }

        NpgsqlCommand command = _database.DataSource.CreateCommand(
            "SELECT refused_line, spent, reserved FROM llmrouter_budget_reserve($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)");
        await using ConfiguredAsyncDisposable commandScope = command.ConfigureAwait(false);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = reservation.Id });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = reservation.Now.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = reservation.ExpiresAt.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = reservation.Mode == BudgetMode.Strict });
        counters.AddTo(command);
        command.Parameters.Add(new NpgsqlParameter<decimal[]> { TypedValue = limits, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Numeric });
        command.Parameters.Add(new NpgsqlParameter<decimal[]> { TypedValue = amounts, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Numeric });
        NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using ConfiguredAsyncDisposable readerScope = reader.ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        int refused = reader.GetInt32(0);
        return refused < 0 ? BudgetDecision.Granted : BudgetDecision.Refused(refused, reader.GetDecimal(1), reader.GetDecimal(2));
    }

    public async ValueTask<IReadOnlyList<decimal>> SettleAsync(BudgetSettlement settlement, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settlement);
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        IReadOnlyList<BudgetCharge> charges = settlement.Charges;
        var counters = new CounterArrays(charges.Count);
        var amounts = new decimal[charges.Count];
        for (int i = 0; i < charges.Count; i++)
        {
            counters.Set(i, charges[i].Counter);
            amounts[i] = charges[i].Amount;
        }

        NpgsqlCommand command = _database.DataSource.CreateCommand("SELECT line, spent FROM llmrouter_budget_settle($1, $2, $3, $4, $5, $6)");
        await using ConfiguredAsyncDisposable commandScope = command.ConfigureAwait(false);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = settlement.Id });
        counters.AddTo(command);
        command.Parameters.Add(new NpgsqlParameter<decimal[]> { TypedValue = amounts, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Numeric });
        var spent = new decimal[charges.Count];
        NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using ConfiguredAsyncDisposable readerScope = reader.ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            spent[reader.GetInt32(0)] = reader.GetDecimal(1);
        }

        return spent;
    }

    public async ValueTask<IReadOnlyList<BudgetCounterState>> ReadAsync(IReadOnlyList<BudgetCounterKey> counters, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(counters);
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        var keys = new CounterArrays(counters.Count);
        for (int i = 0; i < counters.Count; i++)
        {
            keys.Set(i, counters[i]);
        }

        NpgsqlCommand command = _database.DataSource.CreateCommand("""
            SELECT k.line - 1, c.spent,
                   (SELECT coalesce(sum(h.amount), 0) FROM budget_holds h WHERE h.counter_id = c.id AND h.expires_at > $5)
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS k (scope, name, model, period, line)
            JOIN budget_counters c ON c.scope = k.scope AND c.name = k.name AND c.model = k.model AND c.period = k.period
            """);
        await using ConfiguredAsyncDisposable commandScope = command.ConfigureAwait(false);
        keys.AddTo(command);
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now.ToUniversalTime() });
        var states = new BudgetCounterState[counters.Count];
        NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using ConfiguredAsyncDisposable readerScope = reader.ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            states[reader.GetInt64(0)] = new BudgetCounterState(reader.GetDecimal(1), reader.GetDecimal(2));
        }

        return states;
    }

    public Task ProbeAsync(CancellationToken cancellationToken = default) => _database.ProbeAsync(cancellationToken);

    public void Dispose() => _schemaLock.Dispose();

    private async ValueTask EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        if (_migrated)
        {
            return;
        }

        await _schemaLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_migrated)
            {
                await _database.MigrateAsync(PostgresBudgetSchema.Component, PostgresBudgetSchema.Migrations, cancellationToken).ConfigureAwait(false);
                _migrated = true;
            }
        }
        finally
        {
            _schemaLock.Release();
        }
    }

    /// <summary>The columns that name counters, as parallel arrays for the functions.</summary>
    private readonly struct CounterArrays
    {
        private readonly string[] _scopes;
        private readonly string[] _names;
        private readonly string[] _models;
        private readonly string[] _periods;

        public CounterArrays(int count)
        {
            _scopes = new string[count];
            _names = new string[count];
            _models = new string[count];
            _periods = new string[count];
        }

        public void Set(int index, BudgetCounterKey counter)
        {
            _scopes[index] = counter.Scope switch
            {
                BudgetScope.Key => "key",
                BudgetScope.Tenant => "tenant",
                _ => "global",
            };
            _names[index] = counter.Name ?? string.Empty;
            _models[index] = counter.Model ?? string.Empty;
            _periods[index] = counter.Period;
        }

        public void AddTo(NpgsqlCommand command)
        {
            foreach (string[] column in (ReadOnlySpan<string[]>)[_scopes, _names, _models, _periods])
            {
                command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = column, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            }
        }
    }
}
