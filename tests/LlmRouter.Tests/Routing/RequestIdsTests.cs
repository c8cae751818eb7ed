namespace LlmRouter.Tests.Routing;

public class RequestIdsTests
{
    [Fact]
    public void A_request_id_is_a_version_7_uuid_carrying_the_start_time_in_milliseconds()
    {
        var started = new DateTimeOffset(2026, 7, 24, 9, 30, 15, 123, TimeSpan.Zero);

        Guid id = RequestIds.Next(started);

        Assert.Equal(7, id.Version);
        Assert.Equal(0b10, id.Variant >> 2);
        Assert.Equal(started.ToUnixTimeMilliseconds(), UnixMilliseconds(id));
    }

    [Fact]
    public void Request_ids_never_repeat_across_refills_of_the_random_buffer()
    {
        var started = new DateTimeOffset(2026, 7, 24, 9, 30, 15, TimeSpan.Zero);
        var ids = new HashSet<Guid>();

        for (int i = 0; i < 3 * RequestIds.IdsPerRefill; i++)
        {
            Assert.True(ids.Add(RequestIds.Next(started)));
        }
    }

    [Fact]
    public void Request_ids_sort_by_their_start_time()
    {
        var earlier = new DateTimeOffset(2026, 7, 24, 9, 30, 15, TimeSpan.Zero);

        Guid first = RequestIds.Next(earlier);
        Guid second = RequestIds.Next(earlier.AddMilliseconds(1));

        Assert.True(first.CompareTo(second) < 0);
        Assert.True(string.CompareOrdinal(first.ToString(), second.ToString()) < 0);
    }

    private static long UnixMilliseconds(Guid id)
    {
        Span<byte> bytes = stackalloc byte[16];
        Assert.True(id.TryWriteBytes(bytes, bigEndian: true, out _));
        long milliseconds = 0;
        for (int i = 0; i < 6; i++)
        {
            milliseconds = (milliseconds << 8) | bytes[i];
        }

        return milliseconds;
    }
}
