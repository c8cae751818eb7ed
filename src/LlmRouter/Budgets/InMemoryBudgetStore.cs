using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace LlmRouter;

/// <summary>
/// The default <see cref="IBudgetStore"/>: counters in this process's memory. Exact (<see langword="decimal"/>), with a
/// tiny lock per counter, never held across an await; a reservation locks its counters in canonical order, so two
/// reservations sharing counters can never deadlock.
/// </summary>
/// <remarks>Budgets start from zero when the process starts; use the SQLite or PostgreSQL store to share and keep them.</remarks>
internal sealed class InMemoryBudgetStore : IBudgetStore, IStoreProbe
{
    private readonly ConcurrentDictionary<BudgetCounterKey, Counter> _counters = new();

    /// <summary>Always answers: the counters are in this process.</summary>
    public Task ProbeAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public ValueTask<BudgetDecision> ReserveAsync(BudgetReservation reservation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        cancellationToken.ThrowIfCancellationRequested();
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
                    return new ValueTask<BudgetDecision>(BudgetDecision.Refused(i, counter.Spent, others));
                }
            }

            for (int i = 0; i < lines.Count; i++)
            {
                counters[i].Hold(id, lines[i].Amount, reservation.ExpiresAt);
            }

            return new ValueTask<BudgetDecision>(BudgetDecision.Granted);
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
        IReadOnlyList<BudgetCharge> charges = settlement.Charges;
        var counters = new CounterSet(charges.Count);
        for (int i = 0; i < charges.Count; i++)
        {
            counters[i] = Get(charges[i].Counter);
        }

        var spent = new decimal[charges.Count];
        int entered = 0;
        try
        {
            for (; entered < charges.Count; entered++)
            {
                counters[entered].Gate.Enter();
            }

            for (int i = 0; i < charges.Count; i++)
            {
                Counter counter = counters[i];
                counter.Spent += charges[i].Amount;
                counter.Release(settlement.Id);
                spent[i] = counter.Spent;
            }
        }
        finally
        {
            while (entered > 0)
            {
                counters[--entered].Gate.Exit();
            }
        }

        return new ValueTask<IReadOnlyList<decimal>>(spent);
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

    private Counter Get(BudgetCounterKey key) =>
        _counters.TryGetValue(key, out Counter? counter) ? counter : _counters.GetOrAdd(key, static _ => new Counter());

    /// <summary>One counter: committed spend and the live holds on it. Every member is used under <see cref="Gate"/>.</summary>
    private sealed class Counter
    {
        private Dictionary<Guid, (decimal Amount, DateTimeOffset ExpiresAt)>? _holds;
        private DateTimeOffset _earliestExpiry = DateTimeOffset.MaxValue;

        public Lock Gate { get; } = new();

        public decimal Spent { get; set; }

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
