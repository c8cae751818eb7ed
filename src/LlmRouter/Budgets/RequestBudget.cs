namespace LlmRouter;

/// <summary>
/// One request's reservation on its budgets: which counters it holds, reserved again before each attempt for that
/// attempt's deployment, and settled once with the actual cost when the request ends.
/// </summary>
/// <remarks>
/// <para>
/// Before each attempt the request holds, on each counter, what its earlier attempts cost (a failed attempt the
/// provider billed counts) plus — on the counters that cover the deployment about to be called — its worst-case cost
/// there. So a fallback to a dearer deployment grows the reservation, and one the budget cannot cover is skipped.
/// </para>
/// <para>
/// A stream renews the lease of what it holds while it runs (<see cref="RenewIfDueAsync"/>), so a stream read slowly
/// keeps its hold however long it lasts. At the settlement, a charge over what was held, or a hold whose lease had
/// expired, is logged and counted: stores commit what was spent whatever was held, so such an overshoot is never silent.
/// </para>
/// <para>
/// Periods are those of the moment the request started: a request running across midnight is charged to the day it
/// started in. Not thread-safe: one request is processed by one flow at a time.
/// </para>
/// </remarks>
internal sealed class RequestBudget
{
    private readonly BudgetKeeper _keeper;
    private readonly RouteInfo _route;
    private Entries _entries;
    private bool _held;

    // What the store holds for the request since its last granted reservation, and when (UTC) that hold is due for renewal and expires.
    private BudgetLine[]? _holding;
    private DateTime _renewAt = DateTime.MaxValue;
    private DateTime _expiresAt = DateTime.MaxValue;

    /// <summary>Starts the budget of a request whose table is captured and to which a plan applies (<see cref="BudgetPlan.For"/>).</summary>
    public RequestBudget(BudgetKeeper keeper, RouteInfo route)
    {
        _keeper = keeper;
        _route = route;

        // Created now, before any attempt caps the output on the options, so the estimate keeps the caller's own limit.
        _ = route.Estimate;
    }

    /// <summary>Gets the first refusal, if a budget refused an attempt.</summary>
    public BudgetRefusal? Refusal { get; private set; }

    /// <summary>Gets the budgets' settings of the request's table (read through the route rather than held: a field less per request).</summary>
    private BudgetSettings Settings => _route.Table!.Budgets;

    /// <summary>Reserves the worst-case cost of an attempt on the deployment, or returns why it must be skipped.</summary>
    /// <exception cref="BudgetUnavailableException">The store failed.</exception>
    public async ValueTask<string?> ReserveAsync(Deployment deployment, CancellationToken cancellationToken)
    {
        RequestEstimate estimate = _route.Estimate;
        if (estimate.WorstCaseCost(deployment) is not decimal worst)
        {
            return deployment.Price is null ? SkipReasons.PriceUnknown : SkipReasons.PromptUnbounded;
        }

        AddEntries(deployment.Model);
        BudgetLine[] lines = Lines(deployment.Model, worst);
        BudgetDecision decision = await ReserveAsync(lines, cancellationToken).ConfigureAwait(false);

        // The bound from UTF-8 bytes is safe for any tokenizer; an exact count is worth taking only when it can change the answer.
        if (!decision.IsGranted && deployment.Tokenizer.IsExact && FitsWith(decision, lines, worst, estimate.WorstCaseCost(deployment, countPrompt: true)!.Value) is decimal counted)
        {
            worst = counted;
            lines = Lines(deployment.Model, worst);
            decision = await ReserveAsync(lines, cancellationToken).ConfigureAwait(false);
        }

        if (!decision.IsGranted)
        {
            Refuse(deployment, lines, decision);
            return SkipReasons.BudgetExceeded;
        }

        _held = true;
        decimal held = Charged(null) + worst;
        if (_route.BudgetReserved is not decimal before || held > before)
        {
            _route.BudgetReserved = held;
        }

        CapOutput(deployment, estimate);
        return null;
    }

    /// <summary>Commits what the request cost on each counter and releases the rest; never throws.</summary>
    public async ValueTask SettleAsync()
    {
        if (!_held)
        {
            return;
        }

        var charges = new BudgetCharge[_entries.Count];
        for (int i = 0; i < charges.Length; i++)
        {
            charges[i] = new BudgetCharge(_entries[i].Counter, Charged(_entries[i].Limit));
        }

        CheckHolds(charges);
        IReadOnlyList<decimal> spent;
        try
        {
            // Not the caller's token: a cancelled request must still release what it held and pay for what it used.
            spent = await _keeper.Store.SettleAsync(new BudgetSettlement(_route.RequestId, charges), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _keeper.Statistics.AddSettleFailure();
            BudgetLog.SettleFailed(_keeper.Logger, ModelNames.Printable(_route.RequestedModel), Charged(null), ex);
            return;
        }

        BudgetGauges? gauges = _keeper.Telemetry?.Budgets;
        for (int i = 0; i < charges.Length; i++)
        {
            Entry entry = _entries[i];
            gauges?.Settled(entry.Counter, entry.Window.Start, spent[i]);
            if (entry.Limit.SoftLimit is decimal soft && Reached(soft, spent[i], charges[i].Amount))
            {
                await _keeper.SoftLimitReachedAsync(new BudgetSoftLimitArguments(
                    entry.Counter.Scope, entry.Counter.Name, entry.Limit.Model, entry.Window, soft, entry.Limit.Limit, spent[i], _route)).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Renews the lease of what the request holds once half of it has passed — for a stream, called as each update
    /// arrives and as the caller asks for the next. Not due, it reads the clock and returns: no allocation, no store call.
    /// </summary>
    /// <exception cref="BudgetExceededException">The lease had lapsed and the budget can no longer cover the request.</exception>
    public ValueTask RenewIfDueAsync(CancellationToken cancellationToken) =>
        _holding is not null && _keeper.Time.GetUtcNow().UtcDateTime >= _renewAt ? RenewAsync(cancellationToken) : default;

    private async ValueTask RenewAsync(CancellationToken cancellationToken)
    {
        BudgetLine[] lines = _holding!;
        DateTimeOffset now = _keeper.Time.GetUtcNow();
        DateTime lapsed = _expiresAt;
        BudgetDecision decision;
        try
        {
            decision = await _keeper.Store.ReserveAsync(new BudgetReservation(_route.RequestId, Settings.Mode, now, now + Settings.HoldTime, lines), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The hold is still live for a while: try again later rather than end a stream for a store's hiccup.
            TimeSpan retry = Settings.RenewAfter / 4;
            _renewAt = now.UtcDateTime + retry;
            BudgetLog.RenewFailed(_keeper.Logger, ModelNames.Printable(_route.RequestedModel), retry, ex);
            return;
        }

        if (decision.IsGranted)
        {
            Granted(lines, now);
            _keeper.Statistics.AddRenewal();
            return;
        }

        // Only a hold whose lease lapsed can be refused (an amount that does not grow is always granted), and others may
        // have taken its room since: ending the stream now keeps the overshoot to what was received.
        _keeper.Statistics.AddLeaseLost();
        BudgetLog.LeaseLost(_keeper.Logger, ModelNames.Printable(_route.RequestedModel), now.UtcDateTime - lapsed);
        BudgetRefusal refusal = RefusalOf(lines, decision);
        Refusal ??= refusal;
        throw new BudgetExceededException(refusal, _route, innerException: null);
    }

    /// <summary>Logs and counts a charge over what the request held, and a settlement after its hold expired: stores commit them anyway.</summary>
    private void CheckHolds(BudgetCharge[] charges)
    {
        if (_holding is not { } holding)
        {
            return;
        }

        for (int i = 0; i < charges.Length; i++)
        {
            decimal held = 0m;
            for (int j = 0; j < holding.Length; j++)
            {
                if (holding[j].Counter == charges[i].Counter)
                {
                    held = holding[j].Amount;
                    break;
                }
            }

            if (charges[i].Amount > held)
            {
                Entry entry = _entries[i];
                _keeper.Statistics.AddSettledOverHold();
                BudgetLog.SettledOverHold(_keeper.Logger, ModelNames.Printable(_route.RequestedModel), entry.Counter.Scope, entry.Limit.Model ?? "all models", charges[i].Amount, held);
            }
        }

        DateTime now = _keeper.Time.GetUtcNow().UtcDateTime;
        if (now >= _expiresAt)
        {
            _keeper.Statistics.AddSettledAfterLease();
            BudgetLog.SettledAfterLease(_keeper.Logger, ModelNames.Printable(_route.RequestedModel), Charged(null), now - _expiresAt);
        }
    }

    private void Granted(BudgetLine[] lines, DateTimeOffset now)
    {
        _holding = lines;
        _renewAt = now.UtcDateTime + Settings.RenewAfter;
        _expiresAt = now.UtcDateTime + Settings.HoldTime;
    }

    /// <summary>Whether this charge took committed spend to the soft limit (a zero soft limit is reached by the period's first spend).</summary>
    private static bool Reached(decimal soft, decimal after, decimal charge)
    {
        decimal before = after - charge;
        return charge > 0m && after >= soft && (before < soft || (soft == 0m && before == 0m));
    }

    private async ValueTask<BudgetDecision> ReserveAsync(BudgetLine[] lines, CancellationToken cancellationToken)
    {
        DateTimeOffset now = _keeper.Time.GetUtcNow();
        var reservation = new BudgetReservation(_route.RequestId, Settings.Mode, now, now + Settings.HoldTime, lines);
        try
        {
            BudgetDecision decision = await _keeper.Store.ReserveAsync(reservation, cancellationToken).ConfigureAwait(false);
            if (decision.IsGranted)
            {
                Granted(lines, now);
            }

            return decision;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The outcome is unknown: settle anyway, which releases whatever was held.
            _held = true;
            BudgetLog.ReserveFailed(_keeper.Logger, ModelNames.Printable(_route.RequestedModel), ex);
            throw new BudgetUnavailableException(_route, ex);
        }
        catch (OperationCanceledException)
        {
            _held = true;
            throw;
        }
    }

    /// <summary>The counters that cover the alias, added once each, kept in canonical order.</summary>
    private void AddEntries(string alias)
    {
        DateTimeOffset started = _route.StartedAt;
        foreach (ScopeBudget scope in BudgetPlan.For(_route)!.Scopes)
        {
            if (scope.Whole is { } whole)
            {
                Add(scope, whole, started);
            }

            if (scope.Models.TryGetValue(alias, out BudgetLimit? model))
            {
                Add(scope, model, started);
            }
        }
    }

    private void Add(ScopeBudget scope, BudgetLimit limit, DateTimeOffset started)
    {
        var entry = new Entry(scope, limit, Settings.Calendar.Window(limit.Period, started));
        BudgetCounterKey counter = entry.Counter;
        int i = 0;
        for (; i < _entries.Count; i++)
        {
            int order = BudgetCounterKey.Compare(counter, _entries[i].Counter);
            if (order == 0)
            {
                return;
            }

            if (order < 0)
            {
                break;
            }
        }

        _entries.Insert(i, entry);
    }

    /// <summary>What to hold on each counter: what earlier attempts cost there, plus the worst case where the alias is covered.</summary>
    private BudgetLine[] Lines(string alias, decimal worst)
    {
        var lines = new BudgetLine[_entries.Count];
        for (int i = 0; i < lines.Length; i++)
        {
            Entry entry = _entries[i];
            decimal amount = Charged(entry.Limit) + (entry.Limit.Covers(alias) ? worst : 0m);
            lines[i] = new BudgetLine(entry.Counter, entry.Limit.Limit, amount);
        }

        return lines;
    }

    /// <summary>What the attempts made so far cost on a limit's counter (every attempt when <paramref name="limit"/> is <see langword="null"/>).</summary>
    private decimal Charged(BudgetLimit? limit)
    {
        decimal total = 0m;
        IReadOnlyList<RouteAttempt> attempts = _route.Attempts;
        for (int i = 0; i < attempts.Count; i++)
        {
            RouteAttempt attempt = attempts[i];
            if (attempt.Outcome != AttemptOutcome.Skipped && attempt.Cost is decimal cost && (limit is null || limit.Covers(attempt.Model)))
            {
                total += cost;
            }
        }

        return total;
    }

    /// <summary>Returns the counted worst case when it is lower and would fit the line that refused; otherwise <see langword="null"/>.</summary>
    private decimal? FitsWith(BudgetDecision decision, BudgetLine[] lines, decimal bound, decimal counted)
    {
        if (counted >= bound || Settings.Mode != BudgetMode.Strict)
        {
            return null;
        }

        BudgetLine refused = lines[decision.RefusedLine];
        return decision.Spent + decision.Reserved + refused.Amount - bound + counted <= refused.Limit ? counted : null;
    }

    private void Refuse(Deployment deployment, BudgetLine[] lines, BudgetDecision decision)
    {
        BudgetRefusal refusal = RefusalOf(lines, decision);
        BudgetLog.Refused(_keeper.Logger, deployment.Model, deployment.Id, refusal.Scope, refusal.Model ?? "all models", decision.Spent, decision.Reserved, refusal.Limit, refusal.Requested);
        Refusal ??= refusal;
    }

    /// <summary>Describes the line that refused (found by its counter: a renewal's lines can be older than the entries).</summary>
    private BudgetRefusal RefusalOf(BudgetLine[] lines, BudgetDecision decision)
    {
        BudgetLine line = lines[decision.RefusedLine];
        Entry entry = _entries[0];
        for (int i = 0; i < _entries.Count; i++)
        {
            if (_entries[i].Counter == line.Counter)
            {
                entry = _entries[i];
                break;
            }
        }

        return new BudgetRefusal(entry.Counter.Scope, entry.Limit.Model, entry.Limit.Period, line.Limit, decision.Spent, decision.Reserved, line.Amount, entry.Window.End, Settings.Mode);
    }

    /// <summary>
    /// Makes the worst case a real bound: a request without its own output limit, sent to a model whose limit is unknown,
    /// is sent with the output cap the reservation assumed.
    /// </summary>
    private void CapOutput(Deployment deployment, RequestEstimate estimate)
    {
        if (estimate.RequestedMaxOutputTokens is null && _route.RequestOptions is { } options)
        {
            options.MaxOutputTokens = deployment.MaxOutputTokens is null ? (int)Math.Min(estimate.OutputCap(deployment), int.MaxValue) : null;
        }
    }

    /// <summary>One counter of the request: its scope, limit and period, from which its key is built when asked for (three references where the key and two would be six words).</summary>
    private readonly record struct Entry(ScopeBudget Scope, BudgetLimit Limit, BudgetWindow Window)
    {
        public BudgetCounterKey Counter => new(Scope.Scope, Scope.Name, Limit.Model, Window.Key);
    }

    /// <summary>
    /// The request's counters in canonical order: the first inline, since a request under one budget is the usual case,
    /// and a list only for the others.
    /// </summary>
    private struct Entries
    {
        private Entry _first;
        private List<Entry>? _rest;

        public int Count { get; private set; }

        public readonly Entry this[int index] => index == 0 ? _first : _rest![index - 1];

        public void Insert(int index, Entry entry)
        {
            if (index > 0)
            {
                (_rest ??= []).Insert(index - 1, entry);
            }
            else
            {
                if (Count > 0)
                {
                    (_rest ??= []).Insert(0, _first);
                }

                _first = entry;
            }

            Count++;
        }
    }
}
