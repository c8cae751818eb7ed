using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace LlmRouter;

/// <summary>
/// The default <see cref="IBudgetStore"/>: counters in this process's memory. Exact (<see langword="decimal"/>), with a
/// tiny lock per counter, never held across an await; a reservation locks its counters in canonical order, so two
/// reservations sharing counters can never deadlock.
/// </summary>
/// <remarks>
/// Budgets start from zero when the process starts; use the SQLite or PostgreSQL store to share and keep them. Counters
/// of periods that ended more than <see cref="KeepAfterPeriod"/> ago are removed in the background, so past periods do
/// not stay readable here as they do in the database stores.
/// </remarks>
internal sealed class InMemoryBudgetStore : IBudgetStore, IStoreProbe
{
    /// <summary>How often, by reservation time, counters of past periods are looked for and removed.</summary>
    internal static readonly TimeSpan PruneInterval = TimeSpan.FromHours(1);

    /// <summary>
    /// How long after a period's last local midnight anywhere (UTC-12) its counters are kept: long enough for every
    /// request that started in it to have settled, so removing them loses nothing a decision still needs.
    /// </summary>
    internal static readonly TimeSpan KeepAfterPeriod = TimeSpan.FromDays(2);

    private readonly ConcurrentDictionary<BudgetCounterKey, Counter> _counters = new();
    private long _nextPruneTicks;
    private int _pruning;
    private int _prunes;

    /// <summary>Gets how many counters the store keeps.</summary>
    internal int CounterCount => _counters.Count;

    /// <summary>Gets how many times counters of past periods were looked for (counted when a look is over).</summary>
    internal int Prunes => Volatile.Read(ref _prunes);

    /// <summary>Always answers: the counters are in this process.</summary>
    public Task ProbeAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public ValueTask<BudgetDecision> ReserveAsync(BudgetReservation reservation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        cancellationToken.ThrowIfCancellationRequested();
        SchedulePrune(reservation.Now);
        BudgetDecision decision;
        while (!TryReserve(reservation, out decision))
        {
            // A counter was pruned between being looked up and locked: look it up again.
        }

        return new ValueTask<BudgetDecision>(decision);
    }

    private bool TryReserve(BudgetReservation reservation, out BudgetDecision decision)
    {
        IReadOnlyList<BudgetLine> lines = reservation.Lines;
        var counters = new CounterSet(lines.Count);
        for (int i = 0; i < lines.Count; i++)
        {
            counters[i] = Get(lines[i].Counter);
        }

        int entered = 0;
        try
        {
            for (; entered < lines.Count; entered++)
            {
                counters[entered].Gate.Enter();
                if (counters[entered].Removed)
                {
                    decision = default;
                    return false;
                }
            }

            Guid id = reservation.Id;
            DateTimeOffset now = reservation.Now;
            bool strict = reservation.Mode == BudgetMode.Strict;
            for (int i = 0; i < lines.Count; i++)
            {
                Counter counter = counters[i];
                BudgetLine line = lines[i];
                counter.Sweep(now);
                decimal mine = counter.HoldOf(id);
                if (line.Amount <= mine)
                {
                    continue;
                }

                decimal others = counter.Reserved - mine;
                bool fits = strict ? counter.Spent + others + line.Amount <= line.Limit : counter.Spent < line.Limit;
                if (!fits)
                {
                    decision = BudgetDecision.Refused(i, counter.Spent, others);
                    return true;
                }
            }

            for (int i = 0; i < lines.Count; i++)
            {
                counters[i].Hold(id, lines[i].Amount, reservation.ExpiresAt);
            }

            decision = BudgetDecision.Granted;
            return true;
        }
        finally
        {
            while (entered > 0)
            {
                counters[--entered].Gate.Exit();
            }
        }
    }

    public ValueTask<IReadOnlyList<decimal>> SettleAsync(BudgetSettlement settlement, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settlement);
        var spent = new decimal[settlement.Charges.Count];
        while (!TrySettle(settlement, spent))
        {
            // A counter was pruned between being looked up and locked: look it up again.
        }

        return new ValueTask<IReadOnlyList<decimal>>(spent);
    }

    private bool TrySettle(BudgetSettlement settlement, decimal[] spent)
    {
        IReadOnlyList<BudgetCharge> charges = settlement.Charges;
        var counters = new CounterSet(charges.Count);
        for (int i = 0; i < charges.Count; i++)
        {
            counters[i] = Get(charges[i].Counter);
        }

        int entered = 0;
        try
        {
            for (; entered < charges.Count; entered++)
            {
                counters[entered].Gate.Enter();
                if (counters[entered].Removed)
                {
                    return false;
                }
            }

            for (int i = 0; i < charges.Count; i++)
            {
                Counter counter = counters[i];
                counter.Spent += charges[i].Amount;
                counter.Release(settlement.Id);
                spent[i] = counter.Spent;
            }

            return true;
        }
        finally
        {
            while (entered > 0)
            {
                counters[--entered].Gate.Exit();
            }
        }
    }

    public ValueTask<IReadOnlyList<BudgetCounterState>> ReadAsync(IReadOnlyList<BudgetCounterKey> counters, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(counters);
        var states = new BudgetCounterState[counters.Count];
        for (int i = 0; i < counters.Count; i++)
        {
            if (_counters.TryGetValue(counters[i], out Counter? counter))
            {
                lock (counter.Gate)
                {
                    counter.Sweep(now);
                    states[i] = new BudgetCounterState(counter.Spent, counter.Reserved);
                }
            }
        }

        return new ValueTask<IReadOnlyList<BudgetCounterState>>(states);
    }

    /// <summary>
    /// Removes the counters of periods over everywhere for <see cref="KeepAfterPeriod"/> that hold nothing live. Runs on
    /// the thread pool, at most once per <see cref="PruneInterval"/> of reservation time, so memory stays proportional to
    /// the recent periods whatever the uptime. A counter is marked removed under its lock, so a call that looked it up
    /// just before looks it up again rather than change a counter no one will read.
    /// </summary>
    internal void Prune(DateTimeOffset now)
    {
        try
        {
            foreach (KeyValuePair<BudgetCounterKey, Counter> entry in _counters)
            {
                if (!IsLongOver(entry.Key.Period, now))
                {
                    continue;
                }

                Counter counter = entry.Value;
                lock (counter.Gate)
                {
                    counter.Sweep(now);
                    if (counter.HasHolds)
                    {
                        continue;
                    }

                    counter.Removed = true;
                    _counters.TryRemove(entry);
                }
            }
        }
        finally
        {
            Interlocked.Increment(ref _prunes);
            Volatile.Write(ref _pruning, 0);
        }
    }

    /// <summary>
    /// Whether a period (<c>D:2026-11-25</c>, <c>W:2026-11-23</c>, <c>M:2026-11-01</c>) ended, in every time zone, at least
    /// <see cref="KeepAfterPeriod"/> ago. <c>T</c> and anything else never ends.
    /// </summary>
    internal static bool IsLongOver(string period, DateTimeOffset now)
    {
        if (period.Length != 12 || period[1] != ':' ||
            !DateOnly.TryParseExact(period.AsSpan(2), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly first))
        {
            return false;
        }

        DateOnly next = period[0] switch
        {
            'D' => first.AddDays(1),
            'W' => first.AddDays(7),
            'M' => first.AddMonths(1),
            _ => DateOnly.MaxValue,
        };

        // The last place where the next period starts is twelve hours behind UTC.
        return next != DateOnly.MaxValue && now.UtcDateTime >= next.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc) + TimeSpan.FromHours(12) + KeepAfterPeriod;
    }

    private void SchedulePrune(DateTimeOffset now)
    {
        long ticks = now.UtcTicks;
        if (ticks < Volatile.Read(ref _nextPruneTicks) || Interlocked.CompareExchange(ref _pruning, 1, 0) != 0)
        {
            return;
        }

        Volatile.Write(ref _nextPruneTicks, ticks + PruneInterval.Ticks);
        ThreadPool.UnsafeQueueUserWorkItem(static state => state.Store.Prune(state.Now), (Store: this, Now: now), preferLocal: false);
    }

    private Counter Get(BudgetCounterKey key) =>
        _counters.TryGetValue(key, out Counter? counter) ? counter : _counters.GetOrAdd(key, static _ => new Counter());

    /// <summary>One counter: committed spend and the live holds on it. Every member is used under <see cref="Gate"/>.</summary>
    private sealed class Counter
    {
        private Dictionary<Guid, (decimal Amount, DateTimeOffset ExpiresAt)>? _holds;
        private DateTimeOffset _earliestExpiry = DateTimeOffset.MaxValue;

        public Lock Gate { get; } = new();

        public decimal Spent { get; set; }

        /// <summary>Gets or sets whether the counter was pruned: a call that locked it must look its key up again.</summary>
        public bool Removed { get; set; }

        public bool HasHolds => _holds is { Count: > 0 };

        /// <summary>Gets the sum of the holds (after <see cref="Sweep"/>, of the live ones).</summary>
        public decimal Reserved { get; private set; }

        public decimal HoldOf(Guid id) => _holds is not null && _holds.TryGetValue(id, out var hold) ? hold.Amount : 0m;

        public void Hold(Guid id, decimal amount, DateTimeOffset expiresAt)
        {
            _holds ??= [];
            Reserved += amount - HoldOf(id);
            _holds[id] = (amount, expiresAt);
            if (expiresAt < _earliestExpiry)
            {
                _earliestExpiry = expiresAt;
            }
        }

        public void Release(Guid id)
        {
            if (_holds is not null && _holds.Remove(id, out var hold))
            {
                Reserved -= hold.Amount;
            }
        }

        /// <summary>Drops the holds whose lease has expired: budget held by a request that never settled comes back.</summary>
        public void Sweep(DateTimeOffset now)
        {
            if (now < _earliestExpiry || _holds is null)
            {
                return;
            }

            DateTimeOffset earliest = DateTimeOffset.MaxValue;
            decimal reserved = 0m;
            foreach ((Guid id, (decimal amount, DateTimeOffset expiresAt)) in _holds)
            {
                if (expiresAt <= now)
                {
                    _holds.Remove(id);
                    continue;
                }

                reserved += amount;
                if (expiresAt < earliest)
                {
                    earliest = expiresAt;
                }
            }

            Reserved = reserved;
            _earliestExpiry = earliest;
        }
    }

    /// <summary>The counters of one call, inline for the usual handful and on the heap beyond.</summary>
    private struct CounterSet
    {
        private const int InlineCount = 8;
        private readonly Counter[]? _overflow;
        private InlineCounters _inline;

        public CounterSet(int count) => _overflow = count > InlineCount ? new Counter[count] : null;

        public Counter this[int index]
        {
            readonly get => _overflow is null ? _inline[index] : _overflow[index];
            set
            {
                if (_overflow is null)
                {
                    _inline[index] = value;
                }
                else
                {
                    _overflow[index] = value;
                }
            }
        }

        [InlineArray(InlineCount)]
        private struct InlineCounters
        {
            private Counter _element0;
        }
    }
}
