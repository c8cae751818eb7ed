namespace LlmRouter.Tests.Audit;

public class AuditDaysTests
{
    [Fact]
    public void A_range_splits_into_UTC_days_clipped_to_the_range()
    {
        var from = new DateTimeOffset(2026, 3, 1, 18, 0, 0, TimeSpan.Zero);
        var to = new DateTimeOffset(2026, 3, 3, 6, 0, 0, TimeSpan.Zero);

        var days = AuditDays.Split(from, to, TimeZoneInfo.Utc);

        Assert.Equal([new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 2), new DateOnly(2026, 3, 3)], days.Select(d => d.Day));
        Assert.Equal(from, days[0].Start);
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero), days[0].End);
        Assert.Equal(to, days[2].End);
    }

    [Fact]
    public void Days_of_a_time_zone_follow_its_daylight_saving_changes()
    {
        TimeZoneInfo zurich = TimeZoneInfo.FindSystemTimeZoneById("Europe/Zurich");
        var from = new DateTimeOffset(2026, 3, 28, 23, 0, 0, TimeSpan.Zero); // 29 March 00:00 in Zurich (CET)
        var to = new DateTimeOffset(2026, 3, 30, 22, 0, 0, TimeSpan.Zero); // 31 March 00:00 (CEST)

        var days = AuditDays.Split(from, to, zurich);

        Assert.Equal(2, days.Count);
        Assert.Equal(TimeSpan.FromHours(23), days[0].End - days[0].Start); // the clocks went forward on the 29th
        Assert.Equal(TimeSpan.FromHours(24), days[1].End - days[1].Start);
        Assert.Equal(new DateOnly(2026, 3, 30), days[1].Day);
    }

    [Fact]
    public void A_day_whose_midnight_does_not_exist_starts_at_its_first_valid_minute()
    {
        // Santiago de Chile skips from 00:00 to 01:00 when daylight saving starts (6 September 2026).
        TimeZoneInfo santiago = TimeZoneInfo.FindSystemTimeZoneById("America/Santiago");

        DateTimeOffset start = AuditDays.StartOf(new DateOnly(2026, 9, 6), santiago);

        Assert.Equal(new DateTimeOffset(2026, 9, 6, 1, 0, 0, TimeSpan.FromHours(-3)), start);
    }
}
