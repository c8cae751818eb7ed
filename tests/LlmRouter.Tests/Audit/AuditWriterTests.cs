using LlmRouter.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;

namespace LlmRouter.Tests.Audit;

public class AuditWriterTests
{
    private readonly CountingTimeProvider _time = new(Routers.Clock());
    private readonly InMemoryAuditStore _store = new();

    private AuditWriter Writer(Action<AuditOptions>? configure = null)
    {
        var options = new AuditOptions { FlushInterval = TimeSpan.Zero };
        configure?.Invoke(options);
        return new AuditWriter(_store, options, _time, NullLogger.Instance, new AuditWriterStatistics());
    }

    private RouteInfo Route() => new(_time, streaming: false, "chat");

    private static AuditRecord Record(decimal cost = 0.000125m) => new()
    {
        Id = Guid.CreateVersion7(),
        StartedAt = new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero),
        CompletedAt = new DateTimeOffset(2026, 11, 25, 9, 0, 1, TimeSpan.Zero),
        Duration = TimeSpan.FromSeconds(1),
        RequestedModel = "chat",
        Status = RouteStatus.Served,
        Cost = cost,
    };

    private static async Task SubmitAsync(AuditWriter writer, RouteInfo route, AuditRecord record)
    {
        bool admitted = await writer.AdmitAsync(route, CancellationToken.None);
        await writer.SubmitAsync(record, admitted, route);
    }

    [Fact]
    public async Task A_batch_is_written_as_soon_as_BatchSize_records_are_waiting()
    {
        await using AuditWriter writer = Writer(o => (o.BatchSize, o.FlushInterval) = (3, TimeSpan.FromHours(1)));

        for (int i = 0; i < 3; i++)
        {
            await SubmitAsync(writer, Route(), Record());
        }

        await _store.WaitForRecordsAsync(3);
        AuditBatch batch = Assert.Single(_store.Handed);
        Assert.Equal([1L, 2L, 3L], batch.Records.Select(r => r.Sequence));
    }

    [Fact]
    public async Task A_partial_batch_is_written_once_its_first_record_has_waited_the_flush_interval()
    {
        await using AuditWriter writer = Writer(o => (o.BatchSize, o.FlushInterval) = (100, TimeSpan.FromSeconds(1)));
        await SubmitAsync(writer, Route(), Record());
        await SubmitAsync(writer, Route(), Record());
        await _time.WaitForTimersAsync(1);

        _time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Equal(0, _store.Attempts);

        // The consumer may still be re-arming its wait for the second record: step until the deadline has fired.
        await Until.TrueAsync(() =>
        {
            _time.Advance(TimeSpan.FromTicks(1));
            return _store.Attempts > 0;
        });
        await _store.WaitForRecordsAsync(2);
        Assert.Equal(2, Assert.Single(_store.Handed).Records.Count);
    }

    [Fact]
    public async Task Records_queued_while_a_batch_gathers_do_not_wake_the_writer_one_by_one()
    {
        await using AuditWriter writer = Writer(o => (o.BatchSize, o.FlushInterval) = (100, TimeSpan.FromSeconds(1)));
        await SubmitAsync(writer, Route(), Record());
        await _time.WaitForTimersAsync(1);

        for (int i = 0; i < 50; i++)
        {
            await SubmitAsync(writer, Route(), Record());
        }

        _time.Advance(TimeSpan.FromSeconds(1));
        await _store.WaitForRecordsAsync(51);

        // One wait for the whole batch: a writer woken by each record would have armed a timer for each wait.
        Assert.Equal(1, _time.TimersCreated);
        Assert.Equal(51, Assert.Single(_store.Handed).Records.Count);
    }

    [Fact]
    public async Task A_flush_while_a_batch_gathers_writes_it_at_once()
    {
        await using AuditWriter writer = Writer(o => (o.BatchSize, o.FlushInterval) = (100, TimeSpan.FromHours(1)));
        await SubmitAsync(writer, Route(), Record());
        await SubmitAsync(writer, Route(), Record());
        await _time.WaitForTimersAsync(1);

        await writer.FlushAsync();

        Assert.Equal(2, Assert.Single(_store.Handed).Records.Count);
    }

    [Fact]
    public async Task A_caller_waiting_for_room_wakes_a_writer_gathering_a_batch()
    {
        await using AuditWriter writer = Writer(o => (o.QueueCapacity, o.BatchSize, o.FlushInterval) = (3, 10, TimeSpan.FromHours(1)));
        for (int i = 0; i < 3; i++)
        {
            await SubmitAsync(writer, Route(), Record());
        }

        await _time.WaitForTimersAsync(1);

        // The queue is full and the batch is not: the fourth caller's wait for room makes the writer write what it has.
        bool admitted = await writer.AdmitAsync(Route(), CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(admitted);
        Assert.Equal(3, Assert.Single(_store.Handed).Records.Count);
    }

    [Fact]
    public async Task A_failed_batch_is_retried_with_exponential_backoff_and_jitter_until_the_store_takes_it()
    {
        await using AuditWriter writer = Writer(o => (o.RetryInitialDelay, o.RetryMaxDelay) = (TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(300)));
        _store.FailNext(4);

        await SubmitAsync(writer, Route(), Record());

        // Each wait lies between half and all of min(300 ms, 100 ms × 2^n): [50, 100], [100, 200], [150, 300], [150, 300].
        (int Min, int Max)[] windows = [(50, 100), (100, 200), (150, 300), (150, 300)];
        for (int i = 0; i < windows.Length; i++)
        {
            await _time.WaitForTimersAsync(i + 1);
            Assert.Equal(i + 1, _store.Attempts);
            _time.Advance(TimeSpan.FromMilliseconds(windows[i].Min - 1));
            Assert.Equal(i + 1, _store.Attempts);
            _time.Advance(TimeSpan.FromMilliseconds(windows[i].Max - windows[i].Min + 1));
            await Until.TrueAsync(() => _store.Attempts == i + 2, "the retry");
        }

        await _store.WaitForRecordsAsync(1);
        Assert.Equal(4, writer.Statistics.WriteFailures);
        Assert.Equal(1, writer.Statistics.Written);

        // Every retry handed the same, already sealed batch: nothing is re-sequenced or re-hashed.
        Assert.All(_store.Handed, batch => Assert.Same(_store.Handed[0], batch));
    }

    [Fact]
    public async Task A_batch_stored_by_a_write_that_reported_failure_is_not_stored_twice()
    {
        await using AuditWriter writer = Writer();
        _store.FailAfterCommit = true;
        _store.FailNext(1);

        await SubmitAsync(writer, Route(), Record());
        await _time.WaitForTimersAsync(1);
        _time.Advance(AuditOptions.DefaultRetryInitialDelay);
        await Until.TrueAsync(() => writer.Statistics.Written == 1, "the retry");

        Assert.Equal(2, _store.Attempts);
        Assert.Single(_store.Records);
    }

    [Fact]
    public async Task Records_queued_behind_a_failing_batch_wait_and_nothing_accepted_is_lost()
    {
        await using AuditWriter writer = Writer(o => o.BatchSize = 2);
        _store.FailNext(int.MaxValue);
        for (int i = 0; i < 5; i++)
        {
            await SubmitAsync(writer, Route(), Record(i));
        }

        await _time.WaitForTimersAsync(1);
        Assert.Empty(_store.Records);
        Assert.Equal(5, writer.Statistics.Queued);
        _store.FailNext(0);
        _time.Advance(AuditOptions.DefaultRetryMaxDelay);

        await _store.WaitForRecordsAsync(5);
        Assert.Equal([1L, 2L, 3L, 4L, 5L], _store.Records.Select(r => r.Sequence));
        Assert.Equal(0, writer.Statistics.Queued);
    }

    [Fact]
    public async Task A_batch_the_store_keeps_refusing_blocks_the_writer_and_every_attempt_is_logged_at_Error_and_counted()
    {
        var logger = new FakeLogger();
        await using var writer = new AuditWriter(_store, new AuditOptions { FlushInterval = TimeSpan.Zero }, _time, logger, new AuditWriterStatistics());
        _store.Failure = new IOException("database or disk is full");
        _store.FailNext(int.MaxValue);

        await SubmitAsync(writer, Route(), Record());
        for (int i = 1; i <= 3; i++)
        {
            // The i-th failure's back-off has started (a clock advanced before it starts would never fire it).
            await _time.WaitForTimersAsync(i);
            _time.Advance(AuditOptions.DefaultRetryMaxDelay);
            await Until.TrueAsync(() => _store.Attempts == i + 1, "the retry");
        }

        await SubmitAsync(writer, Route(), Record());
        await Until.TrueAsync(() => writer.Statistics.WriteFailures == 4, "the fourth failure");
        FakeLogRecord[] failures = [.. logger.Collector.GetSnapshot().Where(r => r.Id.Id == 1301)];
        Assert.Equal(4, failures.Length);
        Assert.All(failures, f => Assert.Equal(LogLevel.Warning, f.Level));

        // The outage itself is an Error, once, until the store takes a batch again.
        FakeLogRecord outage = Assert.Single(logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Error);
        Assert.Equal(1502, outage.Id.Id);
        Assert.Contains("IOException: database or disk is full; retrying in", failures[0].Message, StringComparison.Ordinal);
        Assert.Equal(failures.Length, writer.Statistics.WriteFailures);
        Assert.Equal(2, writer.Statistics.Queued);
        Assert.Empty(_store.Records);

        // Once the store is fixed, the same batch goes through and the queue drains.
        _store.FailNext(0);
        await _time.WaitForTimersAsync(4);
        _time.Advance(AuditOptions.DefaultRetryMaxDelay);
        await _store.WaitForRecordsAsync(2);
    }

    [Fact]
    public async Task A_record_kept_beyond_a_full_queue_is_written_and_gives_back_no_place_it_never_took()
    {
        _store.Hold();
        await using AuditWriter writer = Writer(o => o.QueueCapacity = 1);
        RouteInfo first = Route();
        Assert.True(await writer.AdmitAsync(first, CancellationToken.None));

        writer.Keep(Record(), Route());
        await writer.SubmitAsync(Record(), admitted: true, first);
        _store.Release();
        await _store.WaitForRecordsAsync(2);

        // One place again, not two: the kept record took none.
        Assert.True(await writer.AdmitAsync(Route(), CancellationToken.None));
        ValueTask<bool> second = writer.AdmitAsync(Route(), CancellationToken.None);
        Assert.False(second.IsCompleted);
        Assert.Equal((2, 0L), (_store.Records.Count, writer.Statistics.Dropped));
        await writer.DisposeAsync();
        Assert.False(await second);
    }

    [Fact]
    public async Task Disposing_the_writer_writes_every_queued_record_at_once()
    {
        AuditWriter writer = Writer(o => (o.BatchSize, o.FlushInterval) = (1000, TimeSpan.FromHours(1)));
        for (int i = 0; i < 5; i++)
        {
            await SubmitAsync(writer, Route(), Record());
        }

        await writer.DisposeAsync();

        Assert.Equal(5, _store.Records.Count);
        Assert.Equal(5, writer.Statistics.Written);
    }

    [Fact]
    public async Task A_store_that_never_recovers_loses_records_only_when_the_shutdown_timeout_runs_out_and_they_are_counted()
    {
        AuditWriter writer = Writer(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        _store.FailNext(int.MaxValue);
        for (int i = 0; i < 3; i++)
        {
            await SubmitAsync(writer, Route(), Record());
        }

        await _time.WaitForTimersAsync(1);
        ValueTask disposing = writer.DisposeAsync();
        await _time.WaitForTimersAsync(2);
        Assert.False(disposing.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(5));
        await disposing;

        Assert.Equal(3, writer.Statistics.Lost);
        Assert.Empty(_store.Records);
    }

    [Fact]
    public async Task Full_queue_Wait_holds_a_request_before_it_is_sent_until_a_record_is_written()
    {
        await using AuditWriter writer = Writer(o => o.QueueCapacity = 2);
        _store.Hold();
        await SubmitAsync(writer, Route(), Record());
        await SubmitAsync(writer, Route(), Record());

        ValueTask<bool> third = writer.AdmitAsync(Route(), CancellationToken.None);

        Assert.False(third.IsCompleted);
        Assert.Equal(1, writer.Statistics.Waited);
        _store.Release();
        Assert.True(await third);
    }

    [Fact]
    public async Task Full_queue_Reject_refuses_a_request_before_it_is_sent_and_counts_it()
    {
        await using AuditWriter writer = Writer(o => (o.QueueCapacity, o.QueueFull) = (1, AuditQueueFullBehavior.Reject));
        _store.Hold();
        await SubmitAsync(writer, Route(), Record());

        var refusal = await Assert.ThrowsAsync<AuditUnavailableException>(async () => await writer.AdmitAsync(Route(), CancellationToken.None));

        Assert.True(refusal.IsRejection);
        Assert.Equal(ReasonCodes.AuditUnavailable, refusal.ReasonCode);
        Assert.Equal(1, writer.Statistics.Rejected);
        _store.Release();
    }

    [Fact]
    public async Task Full_queue_Drop_serves_the_request_and_counts_the_record_it_could_not_keep()
    {
        await using AuditWriter writer = Writer(o => (o.QueueCapacity, o.QueueFull) = (1, AuditQueueFullBehavior.Drop));
        _store.Hold();
        await SubmitAsync(writer, Route(), Record());
        await Until.TrueAsync(() => _store.Attempts == 1);

        Assert.False(await writer.AdmitAsync(Route(), CancellationToken.None));
        await writer.SubmitAsync(Record(), admitted: false, Route());

        Assert.Equal(1, writer.Statistics.Dropped);
        _store.Release();
        await _store.WaitForRecordsAsync(1);

        // The written record's place comes back just after the store took it: the next record takes it.
        await Until.TrueAsync(() => writer.PlacesInUse == 0, "the place given back");
        Assert.True(await writer.AdmitAsync(Route(), CancellationToken.None) is false);
        await writer.SubmitAsync(Record(), admitted: false, Route());
        await _store.WaitForRecordsAsync(2);
    }

    [Fact]
    public async Task Synchronous_submission_completes_only_when_the_record_is_durable()
    {
        await using AuditWriter writer = Writer(o => (o.Durability, o.FlushInterval) = (AuditDurability.Synchronous, TimeSpan.FromHours(1)));
        _store.Hold();
        RouteInfo route = Route();
        bool admitted = await writer.AdmitAsync(route, CancellationToken.None);

        ValueTask durable = writer.SubmitAsync(Record(), admitted, route);

        await Until.TrueAsync(() => _store.Attempts == 1);
        Assert.False(durable.IsCompleted);
        _store.Release();
        await durable;
        Assert.Single(_store.Records);
    }

    [Fact]
    public async Task Synchronous_submission_fails_when_the_store_fails_and_the_record_is_still_written_when_it_recovers()
    {
        await using AuditWriter writer = Writer(o => o.Durability = AuditDurability.Synchronous);
        _store.FailNext(1);
        RouteInfo route = Route();

        var failure = await Assert.ThrowsAsync<AuditUnavailableException>(() => SubmitAsync(writer, route, Record()));

        Assert.Same(route, failure.Route);
        Assert.IsType<IOException>(failure.InnerException);
        Assert.False(failure.IsRejection);

        // While the store is failing, the next Synchronous call fails at once; both records are written after it recovers.
        await Assert.ThrowsAsync<AuditUnavailableException>(() => SubmitAsync(writer, Route(), Record()));
        await _time.WaitForTimersAsync(1);
        _time.Advance(AuditOptions.DefaultRetryInitialDelay);
        await _store.WaitForRecordsAsync(2);
        await SubmitAsync(writer, Route(), Record());
        Assert.Equal(3, _store.Records.Count);
    }

    [Fact]
    public async Task Each_writer_starts_its_own_chain_whose_records_link_by_hash()
    {
        await using (AuditWriter first = Writer())
        {
            await SubmitAsync(first, Route(), Record());
            await SubmitAsync(first, Route(), Record());
        }

        await using (AuditWriter second = Writer())
        {
            await SubmitAsync(second, Route(), Record());
        }

        IReadOnlyList<AuditRecord> records = _store.Records;
        Assert.Equal(2, records.Select(r => r.ChainId).Distinct().Count());
        Assert.Equal(AuditText.ZeroHash, records[0].PreviousHash);
        Assert.Equal(records[0].Hash, records[1].PreviousHash);
        Assert.Equal((1L, AuditText.ZeroHash), (records[2].Sequence, records[2].PreviousHash));
        Assert.True((await new AuditVerifier(_store).VerifyAsync()).IsIntact);
    }

    [Fact]
    public async Task Stopping_the_host_writes_what_is_queued_and_the_writer_keeps_recording_until_it_is_disposed()
    {
        var services = new ServiceCollection();
        services.AddLlmRouterAudit(o => (o.FlushInterval, o.BatchSize) = (TimeSpan.FromHours(1), 1000)).UseTimeProvider(_time);
        services.AddSingleton<IAuditStore>(_store);
        ServiceProvider provider = services.BuildServiceProvider();
        IHostedService host = Assert.Single(provider.GetServices<IHostedService>());
        await host.StartAsync(CancellationToken.None);
        AuditWriter writer = provider.GetRequiredService<AuditWriter>();
        await SubmitAsync(writer, Route(), Record());

        await host.StopAsync(CancellationToken.None);
        Assert.Single(_store.Records);

        await SubmitAsync(writer, Route(), Record());
        await provider.DisposeAsync();
        Assert.Equal(2, _store.Records.Count);
    }
}
