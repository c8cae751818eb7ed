using System.Reflection;
using Microsoft.Extensions.Logging;

namespace LlmRouter.Tests.Diagnostics;

/// <summary>An event id names one log line across the library: each area logs in its own range, and no id is used twice.</summary>
public class LogEventIdTests
{
    [Fact]
    public void Every_log_line_has_its_own_event_id_in_its_areas_range()
    {
        var ranges = new Dictionary<Type, (int From, int To)[]>
        {
            [typeof(RouterLog)] = [(1000, 1299), (1500, 1599)],
            [typeof(AuditLog)] = [(1300, 1399), (1500, 1599)],
            [typeof(BudgetLog)] = [(1400, 1499)],
        };
        List<(Type Type, string Method, int Id)> lines =
        [
            .. typeof(RouteInfo).Assembly.GetTypes()
                .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
                    .Select(m => (Type: t, Method: m.Name, Attribute: m.GetCustomAttribute<LoggerMessageAttribute>())))
                .Where(l => l.Attribute is not null)
                .Select(l => (l.Type, l.Method, l.Attribute!.EventId)),
        ];

        Assert.NotEmpty(lines);
        Assert.Equal(lines.Count, lines.Select(l => l.Id).Distinct().Count());
        foreach ((Type type, string method, int id) in lines)
        {
            Assert.True(ranges.TryGetValue(type, out (int From, int To)[]? allowed), $"{type.Name} logs without a documented range");
            Assert.True(allowed.Any(r => id >= r.From && id <= r.To), $"{type.Name}.{method} uses event id {id}, outside its range");
        }
    }
}
