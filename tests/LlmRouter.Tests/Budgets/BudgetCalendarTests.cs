namespace LlmRouter.Tests.Budgets;

/// <summary>Budget periods follow the calendar of the configured time zone: local midnights, Monday weeks, months, daylight saving.</summary>
public class BudgetCalendarTests
{
    private static BudgetCalendar In(string zone)
    {
        Assert.True(BudgetCalendar.TryFindZone(zone, out TimeZoneInfo? found));
        return new BudgetCalendar(found);
    }

    private static DateTimeOffset Utc(int year, int month, int day, int hour = 0, int minute = 0) => new(year, month, day, hour, minute, 0, TimeSpan.Zero);

    [Fact]
    public void A_month_ends_at_local_midnight_in_the_configured_zone_not_in_UTC()
    {
        BudgetCalendar zurich = In("Europe/Zurich");

        BudgetWindow november = zurich.Window(BudgetPeriod.Monthly, Utc(2026, 11, 30, 22, 59));
        BudgetWindow december = zurich.Window(BudgetPeriod.Monthly, Utc(2026, 11, 30, 23, 0));

        Assert.Equal(("M:2026-11-01", new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.FromHours(1)), Utc(2026, 11, 30, 23, 0)), (november.Key, november.Start!.Value, november.End!.Value));
        Assert.Equal(("M:2026-12-01", Utc(2026, 11, 30, 23, 0), Utc(2026, 12, 31, 23, 0)), (december.Key, december.Start!.Value, december.End!.Value));
        Assert.Equal("M:2026-11-01", In("UTC").Window(BudgetPeriod.Monthly, Utc(2026, 11, 30, 23, 0)).Key);
    }

    [Fact]
    public void A_month_that_starts_in_summer_time_and_ends_in_winter_time_has_both_offsets()
    {
        BudgetWindow october = In("Europe/Zurich").Window(BudgetPeriod.Monthly, Utc(2026, 10, 15));

        Assert.Equal(new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.FromHours(2)), october.Start);
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.FromHours(1)), october.End);
    }

    [Fact]
    public void Weeks_start_on_Monday_and_days_at_local_midnight()
    {
        BudgetCalendar newYork = In("America/New_York");

        // Sunday 29 November 2026, 23:30 in New York is already Monday in UTC.
        BudgetWindow week = newYork.Window(BudgetPeriod.Weekly, Utc(2026, 11, 30, 4, 30));
        BudgetWindow day = newYork.Window(BudgetPeriod.Daily, Utc(2026, 11, 30, 4, 30));

        Assert.Equal(("W:2026-11-23", Utc(2026, 11, 23, 5), Utc(2026, 11, 30, 5)), (week.Key, week.Start!.Value, week.End!.Value));
        Assert.Equal(("D:2026-11-29", Utc(2026, 11, 29, 5), Utc(2026, 11, 30, 5)), (day.Key, day.Start!.Value, day.End!.Value));
    }

    [Fact]
    public void A_day_whose_midnight_a_clock_change_skips_starts_at_its_first_local_time()
    {
        // Chile moves its clocks from 00:00 to 01:00 on the first Sunday of September.
        BudgetCalendar santiago = In("America/Santiago");

        BudgetWindow day = santiago.Window(BudgetPeriod.Daily, Utc(2026, 9, 6, 12));

        Assert.Equal("D:2026-09-06", day.Key);
        Assert.Equal(new DateTimeOffset(2026, 9, 6, 1, 0, 0, TimeSpan.FromHours(-3)), day.Start);
        Assert.Equal(new DateTimeOffset(2026, 9, 7, 0, 0, 0, TimeSpan.FromHours(-3)), day.End);
        Assert.Equal(day.Start, santiago.Window(BudgetPeriod.Daily, Utc(2026, 9, 5, 12)).End);
    }

    [Fact]
    public void A_total_budget_has_one_period_that_never_ends()
    {
        BudgetWindow total = In("UTC").Window(BudgetPeriod.Total, Utc(2026, 11, 25));

        Assert.Equal(("T", null, null), (total.Key, total.Start, total.End));
        Assert.True(total.Contains(Utc(1990, 1, 1)) && total.Contains(Utc(2099, 1, 1)));
    }

    [Fact]
    public void The_current_period_is_computed_once_and_recomputed_when_it_ends()
    {
        BudgetCalendar utc = In("UTC");

        BudgetWindow first = utc.Window(BudgetPeriod.Daily, Utc(2026, 11, 25, 9));
        BudgetWindow again = utc.Window(BudgetPeriod.Daily, Utc(2026, 11, 25, 23, 59));
        BudgetWindow next = utc.Window(BudgetPeriod.Daily, Utc(2026, 11, 26));

        Assert.Same(first, again);
        Assert.Equal("D:2026-11-26", next.Key);
        Assert.Equal("D:2026-11-25", utc.Window(BudgetPeriod.Daily, Utc(2026, 11, 25, 12)).Key);
    }

    [Theory]
    [InlineData("Europe/Zurich", true)]
    [InlineData("UTC", true)]
    [InlineData("Etc/UTC", true)]
    [InlineData("W. Europe Standard Time", false)]
    [InlineData("Europe/Zurch", false)]
    [InlineData("", false)]
    public void Only_IANA_time_zones_are_accepted(string id, bool accepted) =>
        Assert.Equal(accepted, BudgetCalendar.TryFindZone(id, out _));
}
