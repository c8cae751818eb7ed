using System.Globalization;

namespace LlmRouter.Cli;

/// <summary>
/// The period of a command: <c>--month 2026-11</c>, or <c>--from 2026-11-01 --to 2026-11-30</c> (local days, both
/// included), in <c>--time-zone</c>; the previous calendar month when none is given.
/// </summary>
internal readonly record struct CliPeriod(DateOnly FirstDay, DateOnly LastDay, TimeZoneInfo Zone)
{
    public DateTimeOffset From => AuditDays.StartOf(FirstDay, Zone);

    public DateTimeOffset To => AuditDays.StartOf(LastDay.AddDays(1), Zone);

    /// <summary>The period as a file name part: <c>2026-11</c> for a month, else <c>2026-11-03_2026-11-17</c>.</summary>
    public string Name => FirstDay.Day == 1 && LastDay == FirstDay.AddMonths(1).AddDays(-1)
        ? FirstDay.ToString("yyyy'-'MM", CultureInfo.InvariantCulture)
        : FirstDay.ToString("yyyy'-'MM'-'dd", CultureInfo.InvariantCulture) + "_" + LastDay.ToString("yyyy'-'MM'-'dd", CultureInfo.InvariantCulture);

    public static CliPeriod Parse(CliArguments arguments, TimeZoneInfo defaultZone, TimeProvider time)
    {
        TimeZoneInfo zone = FindZone(arguments.Value("--time-zone")) ?? defaultZone;
        string? month = arguments.Value("--month");
        string? from = arguments.Value("--from");
        string? to = arguments.Value("--to");
        if (month is not null)
        {
            if (from is not null || to is not null)
            {
                throw new CliUsageException("give either --month or --from and --to, not both.");
            }

            if (!DateOnly.TryParseExact(month + "-01", "yyyy'-'MM'-'dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly first))
            {
                throw new CliUsageException($"--month '{month}' is not a month: write it as 2026-11.");
            }

            return new CliPeriod(first, first.AddMonths(1).AddDays(-1), zone);
        }

        if (from is not null || to is not null)
        {
            if (from is null || to is null)
            {
                throw new CliUsageException("give both --from and --to (local days, both included).");
            }

            DateOnly firstDay = Day("--from", from);
            DateOnly lastDay = Day("--to", to);
            if (lastDay < firstDay)
            {
                throw new CliUsageException($"--to ({to}) is before --from ({from}).");
            }

            if (lastDay.DayNumber - firstDay.DayNumber + 1 > SpendStatementRequest.MaxDays)
            {
                throw new CliUsageException($"a period can span at most {SpendStatementRequest.MaxDays} days.");
            }

            return new CliPeriod(firstDay, lastDay, zone);
        }

        DateOnly today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), zone).DateTime);
        var thisMonth = new DateOnly(today.Year, today.Month, 1);
        return new CliPeriod(thisMonth.AddMonths(-1), thisMonth.AddDays(-1), zone);
    }

    public static TimeZoneInfo? FindZone(string? id)
    {
        if (id is null)
        {
            return null;
        }

        return TimeZoneInfo.TryFindSystemTimeZoneById(id, out TimeZoneInfo? zone)
            ? zone
            : throw new CliUsageException($"--time-zone '{id}' is not a time zone this machine knows: use an IANA id such as Europe/Zurich or UTC.");
    }

    private static DateOnly Day(string option, string text) =>
        DateOnly.TryParseExact(text, "yyyy'-'MM'-'dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly day)
            ? day
            : throw new CliUsageException($"{option} '{text}' is not a date: write it as 2026-11-30.");
}
