using System.Threading.RateLimiting;

namespace LlmRouter;

/// <summary>
/// What one request took from its key's and its tenant's rate limiters: a concurrency slot, a request, and a
/// reservation of tokens (an upper bound of its prompt plus its output cap) that <see cref="Settle"/> corrects to the
/// tokens actually used.
/// </summary>
/// <remarks>
/// <para>
/// The prompt's bound is its UTF-8 size, safe for any tokenizer and free to take. When the bound would be refused and
/// every deployment of the requested alias has its model's own tokenizer, the prompt is counted exactly before refusing,
/// so a large prompt is not turned away for tokens it does not have. Acquisition is all or nothing: when one limiter
/// refuses, what the others granted is given back.
/// </para>
/// <para>
/// A struct, so that a request's reservation lives in its layer's frame (or its async state machine) instead of on the
/// heap. It is mutable: once taken it has one owner, which settles it once; a copy is never used after it is handed on.
/// </para>
/// </remarks>
internal struct RateLimitReservation
{
    // Mutable structs, held in place (never copied): a request's two sides cost no objects of their own.
    private Side _key;
    private Side _tenant;
    private bool _settled;

    private RateLimitReservation(RateLimitBuckets? key, RateLimitBuckets? tenant)
    {
        _key = new Side(key);
        _tenant = new Side(tenant);
    }

    /// <summary>Takes from the key's and tenant's limiters.</summary>
    /// <returns>The reservation, or <see langword="null"/> when neither has limits.</returns>
    /// <exception cref="RateLimitExceededException">A limiter refused; nothing is kept.</exception>
    public static RateLimitReservation? Acquire(KeyPolicy key, RouteInfo route)
    {
        RateLimitBuckets? tenant = key.Tenant?.Limits;
        if (key.Limits is null && tenant is null)
        {
            return null;
        }

        var reservation = new RateLimitReservation(key.Limits, tenant);
        RateLimitExceededException? refusal =
            reservation._key.TakeSlot(route) ?? reservation._tenant.TakeSlot(route) ??
            reservation._key.TakeRequest(route) ?? reservation._tenant.TakeRequest(route);
        if (refusal is null && (key.Limits?.Tokens is not null || tenant?.Tokens is not null))
        {
            long bound = Estimate(route);
            refusal = reservation.TakeTokens(bound, route);

            // The UTF-8 bound is several times the real count: before refusing, count exactly where the model's own
            // tokenizer is known (the count the budget layer takes too, made once per request).
            if (refusal is not null && ExactEstimate(route) is long exact && exact < bound)
            {
                refusal = reservation.TakeTokens(exact, route);
            }
        }

        if (refusal is not null)
        {
            reservation._key.GiveBack();
            reservation._tenant.GiveBack();
            throw refusal;
        }

        return reservation;
    }

    /// <summary>Corrects the token reservations to the tokens used and frees the concurrency slots. Safe to call more than once.</summary>
    public void Settle(long usedTokens)
    {
        if (_settled)
        {
            return;
        }

        _settled = true;
        _key.Settle(usedTokens);
        _tenant.Settle(usedTokens);
    }

    /// <summary>Takes the estimate from the key's and the tenant's token buckets, or neither.</summary>
    private RateLimitExceededException? TakeTokens(long estimate, RouteInfo route)
    {
        RateLimitExceededException? refusal = _key.TakeTokens(estimate, route) ?? _tenant.TakeTokens(estimate, route);
        if (refusal is not null)
        {
            _key.ReturnTokens();
        }

        return refusal;
    }

    /// <summary>
    /// The request's tokens counted exactly: the prompt's count plus the largest output cap, when every deployment of the
    /// requested alias counts with its model's own tokenizer; otherwise <see langword="null"/>.
    /// </summary>
    private static long? ExactEstimate(RouteInfo route)
    {
        if (route.Table is not { } table || !table.TryGetModel(route.RequestedModel, out ModelGroup? group))
        {
            return null;
        }

        RequestEstimate estimate = route.Estimate;
        long prompt = 0;
        long output = 0;
        foreach (Deployment deployment in group.Deployments)
        {
            if (estimate.ExactPromptTokens(deployment) is not long counted)
            {
                return null;
            }

            prompt = Math.Max(prompt, counted);
            output = Math.Max(output, estimate.OutputCap(deployment));
        }

        return prompt + output;
    }

    /// <summary>
    /// The most tokens the request may use: the prompt's UTF-8 bound plus the largest output cap among the requested
    /// alias's deployments. A fallback with a larger cap is charged after the call.
    /// </summary>
    private static long Estimate(RouteInfo route)
    {
        RequestEstimate estimate = route.Estimate;
        long output = 0;
        if (route.Table is { } table && table.TryGetModel(route.RequestedModel, out ModelGroup? group))
        {
            foreach (Deployment deployment in group.Deployments)
            {
                output = Math.Max(output, estimate.OutputCap(deployment));
            }
        }
        else
        {
            output = estimate.ExpectedOutputTokens;
        }

        return estimate.PromptTokenBound + output;
    }

    /// <summary>What was taken from one scope's limiters.</summary>
    private struct Side
    {
        private readonly RateLimitBuckets? _buckets;
        private RateLimitLease? _slot;
        private bool _request;
        private long _tokens;

        public Side(RateLimitBuckets? buckets) => _buckets = buckets;

        public RateLimitExceededException? TakeSlot(RouteInfo route)
        {
            if (_buckets?.Concurrency is not { } limiter)
            {
                return null;
            }

            RateLimitLease lease = limiter.AttemptAcquire();
            if (!lease.IsAcquired)
            {
                lease.Dispose();
                return Refused(RateLimitKind.ConcurrentRequests, _buckets.ConcurrentRequests!.Value, retryAfter: null, route);
            }

            _slot = lease;
            return null;
        }

        public RateLimitExceededException? TakeRequest(RouteInfo route)
        {
            if (_buckets?.Requests is not { } bucket)
            {
                return null;
            }

            using RateLimitLease lease = bucket.AttemptAcquire();
            if (!lease.IsAcquired)
            {
                return Refused(RateLimitKind.RequestsPerMinute, bucket.Capacity, RetryAfter(lease), route);
            }

            _request = true;
            return null;
        }

        public RateLimitExceededException? TakeTokens(long estimate, RouteInfo route)
        {
            if (_buckets?.Tokens is not { } bucket)
            {
                return null;
            }

            // A request larger than the whole limit waits for a full bucket and takes all of it.
            int reserve = (int)Math.Min(estimate, bucket.Capacity);
            using RateLimitLease lease = bucket.AttemptAcquire(reserve);
            if (!lease.IsAcquired)
            {
                return Refused(RateLimitKind.TokensPerMinute, bucket.Capacity, RetryAfter(lease), route);
            }

            _tokens = reserve;
            return null;
        }

        /// <summary>Returns the tokens taken, keeping the slot and the request.</summary>
        public void ReturnTokens()
        {
            if (_tokens > 0)
            {
                _buckets!.Tokens!.Refund(_tokens);
                _tokens = 0;
            }
        }

        /// <summary>Returns what was taken, for a request that did not go ahead.</summary>
        public void GiveBack()
        {
            if (_request)
            {
                _buckets!.Requests!.Refund(1);
                _request = false;
            }

            Settle(0);
        }

        public void Settle(long usedTokens)
        {
            if (_buckets?.Tokens is { } bucket && (_tokens > 0 || usedTokens > 0))
            {
                if (usedTokens < _tokens)
                {
                    bucket.Refund(_tokens - usedTokens);
                }
                else if (usedTokens > _tokens)
                {
                    bucket.Charge(usedTokens - _tokens);
                }

                _tokens = 0;
            }

            _slot?.Dispose();
            _slot = null;
        }

        private static TimeSpan? RetryAfter(RateLimitLease lease) =>
            lease.TryGetMetadata(MetadataName.RetryAfter, out TimeSpan retryAfter) ? retryAfter : null;

        private RateLimitExceededException Refused(RateLimitKind kind, int limit, TimeSpan? retryAfter, RouteInfo route) =>
            new(_buckets!.Scope, kind, limit, retryAfter, route);
    }
}
