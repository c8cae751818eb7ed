using System.Globalization;

namespace LlmRouter;

/// <summary>
/// The time buckets of a report's charts: the smallest step from one second to a month that cuts the range into at most
/// <see cref="MaxBuckets"/>, aligned on the local clock or calendar of the report's time zone.
/// </summary>
internal sealed class ReportBuckets
{
    public const int MaxBuckets = 60;

    private static readonly TimeSpan[] Steps =
    [
        TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(15), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5),
        TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(30), TimeSpan.FromHours(1), TimeSpan.FromHours(3), TimeSpan.FromHours(6),
    ];

    private readonly DateTimeOffset[] _starts;
    private int _current;

    private ReportBuckets(DateTimeOffset[] starts, string[] labels, string unit)
    {
        _starts = starts;
        Labels = labels;
        Unit = unit;
    }

    public int Count => _starts.Length;

    /// <summary>Gets each bucket's label in the zone's local time.</summary>
    public string[] Labels { get; }

    /// <summary>Gets what one bucket is, for a person: <c>5 minutes</c>, <c>day</c>.</summary>
    public string Unit { get; }

    public DateTimeOffset Start(int bucket) => _starts[bucket];

    public static ReportBuckets Create(DateTimeOffset from, DateTimeOffset to, TimeZoneInfo zone)
    {
        TimeSpan range = to - from;
        foreach (TimeSpan step in Steps)
        {
            DateTimeOffset local = TimeZoneInfo.ConvertTime(from, zone);
            DateTimeOffset first = local.AddTicks(-(local.TimeOfDay.Ticks % step.Ticks));
            int count = (int)Math.Ceiling((to - first).Ticks / (double)step.Ticks);
            if (count <= MaxBuckets)
            {
                var starts = new DateTimeOffset[count];
                var labels = new string[count];
                string format = step < TimeSpan.FromMinutes(1) ? "HH':'mm':'ss" : "HH':'mm";
                bool dated = range > TimeSpan.FromHours(20);
                for (int i = 0; i < count; i++)
                {
                    starts[i] = first + (step * i);
                    DateTimeOffset at = TimeZoneInfo.ConvertTime(starts[i], zone);
                    labels[i] = at.ToString(dated ? "MM'-'dd' '" + format : format, CultureInfo.InvariantCulture);
                }

                return new ReportBuckets(starts, labels, Describe(step));
            }
        }

        DateOnly firstDay = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(from, zone).DateTime);
        DateOnly lastDay = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(to.AddTicks(-1), zone).DateTime);
        int days = lastDay.DayNumber - firstDay.DayNumber + 1;
        int kind = days <= MaxBuckets ? 0 : days <= MaxBuckets * 7 ? 1 : 2;
        DateOnly start = kind switch
        {
            0 => firstDay,
            1 => firstDay.AddDays(-(((int)firstDay.DayOfWeek + 6) % 7)),
            _ => new DateOnly(firstDay.Year, firstDay.Month, 1),
        };
        string label = kind switch { 0 => "MM'-'dd", 1 => "yyyy'-'MM'-'dd", _ => "yyyy'-'MM" };
        var dayStarts = new List<DateTimeOffset>();
        var dayLabels = new List<string>();
        for (DateOnly d = start; d <= lastDay; d = kind switch { 0 => d.AddDays(1), 1 => d.AddDays(7), _ => d.AddMonths(1) })
        {
            dayStarts.Add(AuditDays.StartOf(d, zone));
            dayLabels.Add(d.ToString(label, CultureInfo.InvariantCulture));
        }

        string unit = kind switch { 0 => "day", 1 => "week (from Monday)", _ => "month" };
        return new ReportBuckets([.. dayStarts], [.. dayLabels], unit);
    }

    /// <summary>The bucket of an instant; instants come in order.</summary>
    public int Of(DateTimeOffset instant)
    {
        while (_current < _starts.Length - 1 && instant >= _starts[_current + 1])
        {
            _current++;
        }

        return _current;
    }

    private static string Describe(TimeSpan step) => step switch
    {
        { TotalHours: >= 1 } => step.TotalHours == 1 ? "hour" : step.TotalHours.ToString(CultureInfo.InvariantCulture) + " hours",
        { TotalMinutes: >= 1 } => step.TotalMinutes == 1 ? "minute" : step.TotalMinutes.ToString(CultureInfo.InvariantCulture) + " minutes",
        _ => step.TotalSeconds == 1 ? "second" : step.TotalSeconds.ToString(CultureInfo.InvariantCulture) + " seconds",
    };
}
