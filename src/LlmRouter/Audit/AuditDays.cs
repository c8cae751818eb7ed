namespace LlmRouter;

/// <summary>
/// Splits a time range into calendar days of a time zone, daylight-saving changes included, so that stores group by day
/// with boundaries LlmRouter computed — the same on every store — rather than with their own time-zone rules.
/// </summary>
internal static class AuditDays
{
    /// <summary>The days the range touches: each clipped to the range, labelled with its date in the zone.</summary>
    public static List<(DateTimeOffset Start, DateTimeOffset End, DateOnly Day)> Split(DateTimeOffset from, DateTimeOffset to, TimeZoneInfo zone)
    {
        var days = new List<(DateTimeOffset, DateTimeOffset, DateOnly)>();
        DateOnly day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(from, zone).DateTime);
        DateTimeOffset start = from;
        while (start < to)
        {
            DateOnly next = day.AddDays(1);
            DateTimeOffset end = StartOf(next, zone);
            if (end > to)
            {
                end = to;
            }

            days.Add((start, end, day));
            start = end;
            day = next;
        }

        return days;
    }

    /// <summary>The first instant of a date in a zone: its local midnight, or the first valid local time after it when midnight was skipped.</summary>
    public static DateTimeOffset StartOf(DateOnly date, TimeZoneInfo zone)
    {
        DateTime local = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(1);
        }

        TimeSpan offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }
}
