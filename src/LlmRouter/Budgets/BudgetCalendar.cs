using System.Globalization;

namespace LlmRouter;

/// <summary>
/// Budget periods on the calendar of one time zone: which day, week (from Monday) or month an instant falls in, when it
/// started and when the next one starts. The current period of each kind is cached, so the hot path computes nothing and
/// allocates nothing until a period ends.
/// </summary>
/// <remarks>Thread-safe. A period starts at local midnight; where a daylight-saving change skips midnight, at the first local time that exists.</remarks>
internal sealed class BudgetCalendar
{
    private readonly BudgetWindow?[] _current = new BudgetWindow?[4];

    public BudgetCalendar(TimeZoneInfo zone) => Zone = zone;

    public TimeZoneInfo Zone { get; }

    /// <summary>Finds an IANA time zone by id (Windows ids are not accepted, so configuration means the same on every OS).</summary>
    public static bool TryFindZone(string? id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out TimeZoneInfo? zone)
    {
        zone = null;
        if (string.IsNullOrWhiteSpace(id) || !TimeZoneInfo.TryFindSystemTimeZoneById(id, out TimeZoneInfo? found))
        {
            return false;
        }

        if (!found.HasIanaId && !string.Equals(id, "UTC", StringComparison.Ordinal))
        {
            return false;
        }

        zone = found;
        return true;
    }

    /// <summary>Gets the period of the given kind that <paramref name="now"/> falls in.</summary>
    public BudgetWindow Window(BudgetPeriod period, DateTimeOffset now)
    {
        ref BudgetWindow? slot = ref _current[(int)period];
        BudgetWindow? window = Volatile.Read(ref slot);
        if (window is not null && window.Contains(now))
        {
            return window;
        }

        window = Compute(period, now);
        Volatile.Write(ref slot, window);
        return window;
    }

    private BudgetWindow Compute(BudgetPeriod period, DateTimeOffset now)
    {
        if (period == BudgetPeriod.Total)
        {
            return new BudgetWindow(period, "T", start: null, end: null);
        }

        DateOnly today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, Zone).DateTime);
        (DateOnly first, DateOnly next, char kind) = period switch
        {
            BudgetPeriod.Daily => (today, today.AddDays(1), 'D'),
            BudgetPeriod.Weekly => (today.AddDays(-(((int)today.DayOfWeek + 6) % 7)), today.AddDays(7 - (((int)today.DayOfWeek + 6) % 7)), 'W'),
            _ => (new DateOnly(today.Year, today.Month, 1), new DateOnly(today.Year, today.Month, 1).AddMonths(1), 'M'),
        };

        string key = kind + ":" + first.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return new BudgetWindow(period, key, LocalMidnight(first), LocalMidnight(next));
    }

    /// <summary>The instant a local day starts: midnight, or the first local time that exists when a clock change skips it; the earlier one when midnight occurs twice.</summary>
    private DateTimeOffset LocalMidnight(DateOnly day)
    {
        DateTime local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        while (Zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(1);
        }

        TimeSpan offset = Zone.GetUtcOffset(local);
        if (Zone.IsAmbiguousTime(local))
        {
            foreach (TimeSpan candidate in Zone.GetAmbiguousTimeOffsets(local))
            {
                if (candidate > offset)
                {
                    offset = candidate;
                }
            }
        }

        return new DateTimeOffset(local, offset);
    }
}
