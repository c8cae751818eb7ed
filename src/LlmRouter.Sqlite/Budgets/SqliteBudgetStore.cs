using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace LlmRouter.Sqlite;

/// <summary>
/// The SQLite <see cref="IBudgetStore"/>: budget counters and reservations in one file that several processes on one
/// host can share without overshooting a limit.
/// </summary>
/// <remarks>
/// <para>
/// A reservation and a settlement are each one write transaction, begun with <c>BEGIN IMMEDIATE</c> so that the file's
/// write lock is taken before anything is read: processes sharing the file queue on it (<c>busy_timeout</c>), and the
/// check and the hold are one step. The check is in the hold's own <c>INSERT … SELECT … WHERE</c>: a hold is written
/// only when committed spend plus every other live hold plus the new amount fits the limit.
/// </para>
/// <para>
/// Money is kept in integer nano-dollars: held and charged amounts round up, limits round down. Within the process,
/// writes go through one connection, one at a time; reads use pooled connections and never block writers (WAL).
/// Thread-safe.
/// </para>
/// </remarks>
internal sealed class SqliteBudgetStore : IBudgetStore, IStoreProbe, IAsyncDisposable, IDisposable
{
    private readonly SqliteDatabase _database;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly SemaphoreSlim _schemaLock = new(1, 1);
    private volatile bool _migrated;
    private Writer? _writer;
    private bool _disposed;

    public SqliteBudgetStore(SqliteDatabase database) => _database = database;

    public async ValueTask<BudgetDecision> ReserveAsync(BudgetReservation reservation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        return await WriteAsync(static (writer, r) => writer.Reserve(r), reservation, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<IReadOnlyList<decimal>> SettleAsync(BudgetSettlement settlement, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settlement);
        return await WriteAsync(static (writer, s) => (IReadOnlyList<decimal>)writer.Settle(s), settlement, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<IReadOnlyList<BudgetCounterState>> ReadAsync(IReadOnlyList<BudgetCounterKey> counters, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(counters);
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        SqliteConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using ConfiguredAsyncDisposable connectionScope = connection.ConfigureAwait(false);
        using SqliteTransaction snapshot = connection.BeginTransaction(deferred: true);
        using SqliteCommand read = connection.CreateCommand();
        read.Transaction = snapshot;
        read.CommandText = """
            SELECT c.spent_nanos,
                   (SELECT COALESCE(SUM(h.amount_nanos), 0) FROM budget_holds h WHERE h.counter_id = c.id AND h.expires_at > $now)
            FROM budget_counters c
            WHERE c.scope = $scope AND c.name = $name AND c.model = $model AND c.period = $period
            """;
        Counter parameters = Counter.Bind(read);
        SqliteParameter nowParameter = read.Parameters.Add("$now", SqliteType.Integer);
        nowParameter.Value = now.UtcTicks;
        var states = new BudgetCounterState[counters.Count];
        for (int i = 0; i < states.Length; i++)
        {
            parameters.Set(counters[i]);
            using SqliteDataReader reader = read.ExecuteReader();
            if (reader.Read())
            {
                states[i] = new BudgetCounterState(BudgetNanos.ToDollars(reader.GetInt64(0)), BudgetNanos.ToDollars(reader.GetInt64(1)));
            }
        }

        return states;
    }

    public Task ProbeAsync(CancellationToken cancellationToken = default) => _database.ProbeAsync(cancellationToken);

    public void Dispose()
    {
        _writeLock.Wait();
        try
        {
            _disposed = true;
            _writer?.Dispose();
            _writer = null;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private async ValueTask<TResult> WriteAsync<TState, TResult>(Func<Writer, TState, TResult> write, TState state, CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            Writer writer = _writer ??= await Writer.OpenAsync(_database, cancellationToken).ConfigureAwait(false);
            try
            {
                return write(writer, state);
            }
            catch
            {
                // A connection that failed inside a transaction is not trusted again: the next call opens a new one.
                _writer = null;
                writer.Dispose();
                throw;
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

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
                await _database.MigrateAsync(SqliteBudgetSchema.Component, SqliteBudgetSchema.Migrations, cancellationToken).ConfigureAwait(false);
                _migrated = true;
            }
        }
        finally
        {
            _schemaLock.Release();
        }
    }

    /// <summary>The parameters that name one counter in a command.</summary>
    private readonly struct Counter
    {
        private readonly SqliteParameter _scope;
        private readonly SqliteParameter _name;
        private readonly SqliteParameter _model;
        private readonly SqliteParameter _period;

        private Counter(SqliteCommand command)
        {
            _scope = command.Parameters.Add("$scope", SqliteType.Text);
            _name = command.Parameters.Add("$name", SqliteType.Text);
            _model = command.Parameters.Add("$model", SqliteType.Text);
            _period = command.Parameters.Add("$period", SqliteType.Text);
        }

        public static Counter Bind(SqliteCommand command) => new(command);

        public void Set(BudgetCounterKey counter)
        {
            _scope.Value = BudgetNanos.Scope(counter.Scope);
            _name.Value = counter.Name ?? string.Empty;
            _model.Value = counter.Model ?? string.Empty;
            _period.Value = counter.Period;
        }
    }

    /// <summary>The write connection and its prepared statements.</summary>
    private sealed class Writer : IDisposable
    {
        private readonly SqliteConnection _connection;
        private readonly SqliteCommand _begin;
        private readonly SqliteCommand _commit;
        private readonly SqliteCommand _rollback;
        private readonly SqliteCommand _ensure;
        private readonly Counter _ensureCounter;
        private readonly SqliteCommand _expire;
        private readonly Counter _expireCounter;
        private readonly SqliteParameter _expireNow;
        private readonly SqliteCommand _hold;
        private readonly Counter _holdCounter;
        private readonly SqliteParameter _holdReservation;
        private readonly SqliteParameter _holdAmount;
        private readonly SqliteParameter _holdLimit;
        private readonly SqliteParameter _holdExpires;
        private readonly SqliteParameter _holdNow;
        private readonly SqliteParameter _holdStrict;
        private readonly SqliteCommand _state;
        private readonly Counter _stateCounter;
        private readonly SqliteParameter _stateReservation;
        private readonly SqliteParameter _stateNow;
        private readonly SqliteCommand _charge;
        private readonly Counter _chargeCounter;
        private readonly SqliteParameter _chargeAmount;
        private readonly SqliteCommand _release;
        private readonly SqliteParameter _releaseReservation;

        private Writer(SqliteConnection connection)
        {
            _connection = connection;
            _begin = Command("BEGIN IMMEDIATE");
            _commit = Command("COMMIT");
            _rollback = Command("ROLLBACK");

            _ensure = Command("INSERT INTO budget_counters (scope, name, model, period) VALUES ($scope, $name, $model, $period) ON CONFLICT DO NOTHING");
            _ensureCounter = Counter.Bind(_ensure);

            // Holds of crashed processes go once their lease is over, so the table stays as small as what is running.
            _expire = Command("DELETE FROM budget_holds WHERE counter_id = (SELECT id FROM budget_counters WHERE scope = $scope AND name = $name AND model = $model AND period = $period) AND expires_at <= $now");
            _expireCounter = Counter.Bind(_expire);
            _expireNow = _expire.Parameters.Add("$now", SqliteType.Integer);

            // Check and hold in one statement: the row is written only when the amount does not grow, or fits the limit
            // after committed spend and every other live hold (strict), or committed spend is below the limit (lenient).
            _hold = Command("""
                INSERT INTO budget_holds (reservation, counter_id, amount_nanos, expires_at)
                SELECT $reservation, c.id, $amount, $expires
                FROM budget_counters c
                WHERE c.scope = $scope AND c.name = $name AND c.model = $model AND c.period = $period
                  AND ($amount <= COALESCE((SELECT h.amount_nanos FROM budget_holds h WHERE h.reservation = $reservation AND h.counter_id = c.id AND h.expires_at > $now), 0)
                       OR ($strict = 1 AND c.spent_nanos + (SELECT COALESCE(SUM(h.amount_nanos), 0) FROM budget_holds h
                                                            WHERE h.counter_id = c.id AND h.expires_at > $now AND h.reservation <> $reservation) + $amount <= $limit)
                       OR ($strict = 0 AND c.spent_nanos < $limit))
                ON CONFLICT (reservation, counter_id) DO UPDATE SET amount_nanos = excluded.amount_nanos, expires_at = excluded.expires_at
                """);
            _holdCounter = Counter.Bind(_hold);
            _holdReservation = _hold.Parameters.Add("$reservation", SqliteType.Blob);
            _holdAmount = _hold.Parameters.Add("$amount", SqliteType.Integer);
            _holdLimit = _hold.Parameters.Add("$limit", SqliteType.Integer);
            _holdExpires = _hold.Parameters.Add("$expires", SqliteType.Integer);
            _holdNow = _hold.Parameters.Add("$now", SqliteType.Integer);
            _holdStrict = _hold.Parameters.Add("$strict", SqliteType.Integer);

            _state = Command("""
                SELECT c.spent_nanos,
                       (SELECT COALESCE(SUM(h.amount_nanos), 0) FROM budget_holds h WHERE h.counter_id = c.id AND h.expires_at > $now AND h.reservation <> $reservation)
                FROM budget_counters c
                WHERE c.scope = $scope AND c.name = $name AND c.model = $model AND c.period = $period
                """);
            _stateCounter = Counter.Bind(_state);
            _stateReservation = _state.Parameters.Add("$reservation", SqliteType.Blob);
            _stateNow = _state.Parameters.Add("$now", SqliteType.Integer);

            _charge = Command("""
                INSERT INTO budget_counters (scope, name, model, period, spent_nanos) VALUES ($scope, $name, $model, $period, $amount)
                ON CONFLICT (scope, name, model, period) DO UPDATE SET spent_nanos = spent_nanos + excluded.spent_nanos
                RETURNING spent_nanos
                """);
            _chargeCounter = Counter.Bind(_charge);
            _chargeAmount = _charge.Parameters.Add("$amount", SqliteType.Integer);

            _release = Command("DELETE FROM budget_holds WHERE reservation = $reservation");
            _releaseReservation = _release.Parameters.Add("$reservation", SqliteType.Blob);
        }

        public static async Task<Writer> OpenAsync(SqliteDatabase database, CancellationToken cancellationToken)
        {
            SqliteConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return new Writer(connection);
            }
            catch
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }

        public BudgetDecision Reserve(BudgetReservation reservation)
        {
            byte[] id = reservation.Id.ToByteArray();
            long now = reservation.Now.UtcTicks;
            _begin.ExecuteNonQuery();
            try
            {
                IReadOnlyList<BudgetLine> lines = reservation.Lines;
                for (int i = 0; i < lines.Count; i++)
                {
                    BudgetLine line = lines[i];
                    _ensureCounter.Set(line.Counter);
                    _ensure.ExecuteNonQuery();
                    _expireCounter.Set(line.Counter);
                    _expireNow.Value = now;
                    _expire.ExecuteNonQuery();

                    _holdCounter.Set(line.Counter);
                    _holdReservation.Value = id;
                    _holdAmount.Value = BudgetNanos.Up(line.Amount);
                    _holdLimit.Value = BudgetNanos.Down(line.Limit);
                    _holdExpires.Value = reservation.ExpiresAt.UtcTicks;
                    _holdNow.Value = now;
                    _holdStrict.Value = reservation.Mode == BudgetMode.Strict ? 1 : 0;
                    if (_hold.ExecuteNonQuery() == 0)
                    {
                        BudgetDecision refused = Refused(i, line.Counter, id, now);
                        _rollback.ExecuteNonQuery();
                        return refused;
                    }
                }

                _commit.ExecuteNonQuery();
                return BudgetDecision.Granted;
            }
            catch
            {
                Rollback();
                throw;
            }
        }

        public decimal[] Settle(BudgetSettlement settlement)
        {
            IReadOnlyList<BudgetCharge> charges = settlement.Charges;
            var spent = new decimal[charges.Count];
            _begin.ExecuteNonQuery();
            try
            {
                for (int i = 0; i < charges.Count; i++)
                {
                    _chargeCounter.Set(charges[i].Counter);
                    _chargeAmount.Value = BudgetNanos.Up(charges[i].Amount);
                    spent[i] = BudgetNanos.ToDollars((long)_charge.ExecuteScalar()!);
                }

                _releaseReservation.Value = settlement.Id.ToByteArray();
                _release.ExecuteNonQuery();
                _commit.ExecuteNonQuery();
                return spent;
            }
            catch
            {
                Rollback();
                throw;
            }
        }

        public void Dispose() => _connection.Dispose();

        private BudgetDecision Refused(int line, BudgetCounterKey counter, byte[] reservation, long now)
        {
            _stateCounter.Set(counter);
            _stateReservation.Value = reservation;
            _stateNow.Value = now;
            using SqliteDataReader reader = _state.ExecuteReader();
            reader.Read();
            return BudgetDecision.Refused(line, BudgetNanos.ToDollars(reader.GetInt64(0)), BudgetNanos.ToDollars(reader.GetInt64(1)));
        }

        private void Rollback()
        {
            if (!_connection.State.HasFlag(System.Data.ConnectionState.Open))
            {
                return;
            }

            try
            {
                _rollback.ExecuteNonQuery();
            }
            catch (SqliteException)
            {
                // No transaction was open (BEGIN itself failed); the connection is dropped anyway.
            }
        }

        private SqliteCommand Command(string sql)
        {
            SqliteCommand command = _connection.CreateCommand();
            command.CommandText = sql;
            return command;
        }
    }
}
