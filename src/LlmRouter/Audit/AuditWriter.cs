using System.Globalization;
using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace LlmRouter;

/// <summary>
/// Writes audit records to an <see cref="IAuditStore"/>: a consumer takes records from a queue, gives each its place in
/// this writer's hash chain, and a second stage writes them, in order, in batches (when <see cref="AuditOptions.BatchSize"/> records are waiting,
/// after <see cref="AuditOptions.FlushInterval"/>, or at once for a Synchronous record or a flush). A batch the store
/// refuses is retried with exponential back-off and jitter for as long as the process lives; records queued behind it
/// wait. Disposing flushes what is queued, within <see cref="AuditOptions.ShutdownTimeout"/>.
/// </summary>
/// <remarks>
/// <para>
/// The queue's capacity is enforced with places: a request takes a place when it starts (unless the full-queue behaviour
/// is <see cref="AuditQueueFullBehavior.Drop"/>, where the record looks for one when the request ends), and its record
/// gives the place back once written. So a full queue acts before a provider is called.
/// </para>
/// <para>Thread-safe. One instance, and so one chain, per application's service provider.</para>
/// </remarks>
internal sealed class AuditWriter : IAsyncDisposable, IDisposable
{
    private const int MaxBackoffDoublings = 30;

    private readonly IAuditStore _store;
    private readonly AuditOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<Entry> _queue = Channel.CreateUnbounded<Entry>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Channel<SealedBatch> _sealed = Channel.CreateBounded<SealedBatch>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
    private readonly SemaphoreSlim _room;
    private readonly CancellationTokenSource _closing = new();
    private readonly CancellationTokenSource _giveUp = new();
    private readonly AuditHasher _hasher = new();
    private readonly ConcurrentQueue<List<Entry>> _spareEntries = new();
    private readonly Task _consumer;
    private Waker? _waker;
    private int _unread;
    private int _full;
    private long _sequence;
    private string _previousHash = AuditText.ZeroHash;
    private volatile bool _failing;
    private int _closed;

    public AuditWriter(IAuditStore store, AuditOptions options, TimeProvider timeProvider, ILogger logger, AuditWriterStatistics statistics)
    {
        _store = store;
        _options = options;
        _time = timeProvider;
        _logger = logger;
        Statistics = statistics;
        _room = new SemaphoreSlim(options.QueueCapacity);
        DateTimeOffset now = timeProvider.GetUtcNow();
        ChainId = Guid.CreateVersion7(now);
        ChainStartedAt = AuditText.Microseconds(now);
        Instance = Environment.MachineName + "/" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        AuditLog.ChainStarted(logger, ChainId, Instance, store.GetType().Name, options.Durability);
        _consumer = Task.WhenAll(Task.Run(SealAsync), Task.Run(StoreAsync));
    }

    public Guid ChainId { get; }

    public string Instance { get; }

    public DateTimeOffset ChainStartedAt { get; }

    public AuditOptions Options => _options;

    public AuditWriterStatistics Statistics { get; }

    /// <summary>Gets how many places of the queue are taken: requests in flight that hold one, and records not yet written.</summary>
    public int PlacesInUse => _options.QueueCapacity - _room.CurrentCount;

    /// <summary>Gets whether the store refused the last write (the writer is retrying it).</summary>
    public bool IsFailing => _failing;

    /// <summary>Gets the audit log's logger.</summary>
    public ILogger Logger => _logger;

    private bool Closed => Volatile.Read(ref _closed) != 0;

    /// <summary>
    /// Takes a place in the queue for a request about to start. Returns <see langword="true"/> when it holds one;
    /// <see langword="false"/> when its record will look for one at the end (<see cref="AuditQueueFullBehavior.Drop"/>,
    /// or the writer shut down). Waits for room, or refuses the request, as <see cref="AuditOptions.QueueFull"/> says.
    /// </summary>
    public ValueTask<bool> AdmitAsync(RouteInfo route, CancellationToken cancellationToken)
    {
        if (Closed || _options.QueueFull == AuditQueueFullBehavior.Drop)
        {
            return new(false);
        }

        // Not the caller's token: a request already cancelled still takes its place, so that it is recorded as cancelled.
        if (_room.Wait(0, CancellationToken.None))
        {
            return new(true);
        }

        Full();
        if (_options.QueueFull == AuditQueueFullBehavior.Reject)
        {
            Statistics.AddRejected();
            if (AuditLog.Sampled(Statistics.Rejected))
            {
                AuditLog.Rejected(_logger, _options.QueueCapacity, Statistics.Rejected);
            }

            throw new AuditUnavailableException(
                $"The audit queue is full ({_options.QueueCapacity} records): the request was refused before it was sent, because its record could not be kept.", route, rejection: true);
        }

        Statistics.AddWaited();
        return WaitForRoomAsync(cancellationToken);
    }

    /// <summary>
    /// Queues a completed request's record. In <see cref="AuditDurability.Synchronous"/> mode the task completes when the
    /// record is durable, and fails with <see cref="AuditUnavailableException"/> when it cannot be made durable now.
    /// </summary>
    public ValueTask SubmitAsync(AuditRecord record, bool admitted, RouteInfo route)
    {
        bool synchronous = _options.Durability == AuditDurability.Synchronous;
        if (!admitted && (Closed || !_room.Wait(0)))
        {
            Full();
            return Drop(route, synchronous);
        }

        if (Closed)
        {
            _room.Release();
            return Drop(route, synchronous);
        }

        // While the store is failing, a Synchronous call fails at once; its record stays queued and is written when the store recovers.
        bool failFast = synchronous && _failing;
        TaskCompletionSource? durable = synchronous && !failFast ? new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) : null;
        if (!_queue.Writer.TryWrite(new Entry(record, durable, _time.GetTimestamp(), Placed: true)))
        {
            _room.Release();
            return Drop(route, synchronous);
        }

        Statistics.AddEnqueued();
        Queued(urgent: durable is not null);
        if (failFast)
        {
            throw new AuditUnavailableException("The audit store is failing: the request's record is queued and will be written when the store recovers, but it is not durable now.", route, rejection: false);
        }

        return durable is null ? default : new ValueTask(WaitUntilDurableAsync(durable.Task, route));
    }

    /// <summary>
    /// Queues the record of a request that ended before it was sent — cancelled while it waited for room, or stopped by
    /// the caller's own callback — in a place when there is one, else beyond the queue's capacity (one record per such
    /// request). Never waits, not even in Synchronous mode: the request is over and no provider saw it. Dropped only as
    /// <see cref="AuditQueueFullBehavior.Drop"/> says, or when the writer has shut down.
    /// </summary>
    public void Keep(AuditRecord record, RouteInfo route)
    {
        if (Closed)
        {
            CountDropped();
            return;
        }

        bool placed = _room.Wait(0);
        if (!placed)
        {
            Full();
        }

        if (!placed && _options.QueueFull == AuditQueueFullBehavior.Drop)
        {
            CountDropped();
            return;
        }

        if (!_queue.Writer.TryWrite(new Entry(record, null, _time.GetTimestamp(), placed)))
        {
            if (placed)
            {
                _room.Release();
            }

            CountDropped();
            return;
        }

        Statistics.AddEnqueued();
        Queued(urgent: false);
    }

    /// <summary>Completes when every record queued before the call is written (or given up at shutdown).</summary>
    public Task FlushAsync(CancellationToken cancellationToken = default)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite(new Entry(null, done, _time.GetTimestamp(), Placed: false)))
        {
            return _consumer.WaitAsync(cancellationToken);
        }

        Queued(urgent: true);
        return done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Flushes and stops, blocking: for a service provider disposed synchronously.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            await _consumer.ConfigureAwait(false);
            return;
        }

        _queue.Writer.TryComplete();
        Volatile.Read(ref _waker)?.Wake();
        await _closing.CancelAsync().ConfigureAwait(false);
        try
        {
            await _consumer.WaitAsync(_options.ShutdownTimeout, _time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            await _giveUp.CancelAsync().ConfigureAwait(false);
            await _consumer.ConfigureAwait(false);
        }

        if (Statistics.Lost > 0)
        {
            AuditLog.Lost(_logger, Statistics.Lost);
        }

        _closing.Dispose();
        _giveUp.Dispose();
    }

    private async ValueTask<bool> WaitForRoomAsync(CancellationToken cancellationToken)
    {
        using CancellationTokenSource linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closing.Token);
        try
        {
            await _room.WaitAsync(linked.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false; // the writer shut down while the request waited
        }
    }

    private ValueTask Drop(RouteInfo route, bool synchronous)
    {
        CountDropped();
        return synchronous
            ? ValueTask.FromException(new AuditUnavailableException("The audit writer has shut down: the request's record was not kept.", route, rejection: false))
            : default;
    }

    private void CountDropped()
    {
        Statistics.AddDropped();
        if (Closed)
        {
            AuditLog.AfterShutdown(_logger);
        }
        else if (AuditLog.Sampled(Statistics.Dropped))
        {
            AuditLog.Dropped(_logger, _options.QueueCapacity, Statistics.Dropped);
        }
    }

    private static async Task WaitUntilDurableAsync(Task durable, RouteInfo route)
    {
        try
        {
            await durable.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not AuditUnavailableException)
        {
            throw new AuditUnavailableException("The audit store could not make the request's record durable; the writer keeps retrying it in the background.", route, rejection: false, ex);
        }
        catch (AuditUnavailableException ex)
        {
            throw new AuditUnavailableException(ex.Message, route, rejection: false, ex.InnerException);
        }
    }

    /// <summary>
    /// The first stage: gathers batches from the queue and seals them into the chain, in order. Runs ahead of the store
    /// by up to two batches, so hashing one batch overlaps with writing the one before.
    /// </summary>
    private async Task SealAsync()
    {
        ChannelReader<Entry> reader = _queue.Reader;
        var records = new List<AuditRecord>(Math.Min(_options.BatchSize, 4096));
        try
        {
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                if (!_spareEntries.TryDequeue(out List<Entry>? entries))
                {
                    entries = new List<Entry>(Math.Min(_options.BatchSize, 4096));
                }

                bool now = Fill(reader, entries, records);
                if (!now && records.Count > 0 && records.Count < _options.BatchSize && _options.FlushInterval > TimeSpan.Zero)
                {
                    await GatherAsync(reader, entries, records).ConfigureAwait(false);
                }

                AuditBatch? batch = records.Count == 0 ? null : Seal(records);
                records.Clear();
                await _sealed.Writer.WriteAsync(new SealedBatch(entries, batch)).ConfigureAwait(false);
            }
        }
        finally
        {
            _sealed.Writer.TryComplete();
        }
    }

    /// <summary>The second stage: writes the sealed batches, in order, each until the store takes it.</summary>
    private async Task StoreAsync()
    {
        await foreach (SealedBatch item in _sealed.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            await WriteAsync(item.Entries, item.Batch).ConfigureAwait(false);

            // Back to the sealing stage, which has at most three lists out at a time (one filling, two sealed).
            item.Entries.Clear();
            _spareEntries.Enqueue(item.Entries);
        }
    }

    /// <summary>Takes what is queued, up to a batch; returns whether the batch must be written now.</summary>
    private bool Fill(ChannelReader<Entry> reader, List<Entry> entries, List<AuditRecord> records)
    {
        bool now = _options.Durability == AuditDurability.Synchronous || Closed;
        int read = 0;
        while (records.Count < _options.BatchSize && reader.TryRead(out Entry entry))
        {
            read++;
            entries.Add(entry);
            if (entry.Record is not null)
            {
                records.Add(entry.Record);
            }

            now |= entry.Done is not null;
        }

        Interlocked.Add(ref _unread, -read);
        return now || records.Count >= _options.BatchSize;
    }

    /// <summary>
    /// Waits for the batch to fill until the first record has waited <see cref="AuditOptions.FlushInterval"/>, without
    /// waking for each record queued meanwhile: the queue wakes the writer once, when the batch can be filled, a record
    /// must be written now (Synchronous, a flush), a caller waits for room, or the writer closes — else the interval's
    /// timer does. Under a steady load below the store's rate that is one wake-up per batch instead of one per request.
    /// </summary>
    private async Task GatherAsync(ChannelReader<Entry> reader, List<Entry> entries, List<AuditRecord> records)
    {
        long first = entries[0].Timestamp;
        while (true)
        {
            TimeSpan left = _options.FlushInterval - _time.GetElapsedTime(first);
            if (left <= TimeSpan.Zero)
            {
                return;
            }

            // Published before reading: a record queued before the waker could be seen is read by this Fill, and one
            // queued after it sees the waker (both sides go through full fences), so no record that must wake it is missed.
            var waker = new Waker();
            Interlocked.Exchange(ref _waker, waker);
            if (Fill(reader, entries, records) || reader.Completion.IsCompleted || Interlocked.Exchange(ref _full, 0) != 0)
            {
                Interlocked.Exchange(ref _waker, null);
                return;
            }

            int room = _options.BatchSize - records.Count;
            Interlocked.Exchange(ref waker.Threshold, room);
            if (Volatile.Read(ref _unread) < room)
            {
                using var timer = new CancellationTokenSource(left, _time);
                using CancellationTokenRegistration expiry = timer.Token.UnsafeRegister(static state => ((Waker)state!).Wake(), waker);
                await waker.Woken.ConfigureAwait(false);
            }

            Interlocked.Exchange(ref _waker, null);
            if (Fill(reader, entries, records) || Interlocked.Exchange(ref _full, 0) != 0)
            {
                return;
            }
        }
    }

    /// <summary>
    /// The queue has no room: callers wait, are refused or lose their records until the writer writes what it holds, so a
    /// writer gathering a batch writes it now, full or not (a queue smaller than a batch never fills one).
    /// </summary>
    private void Full()
    {
        Interlocked.Exchange(ref _full, 1);
        Volatile.Read(ref _waker)?.Wake();
    }

    /// <summary>Counts a record (or flush) just queued and wakes a waiting writer when it has a batch to write or the entry must be written now.</summary>
    private void Queued(bool urgent)
    {
        int unread = Interlocked.Increment(ref _unread);
        if (Volatile.Read(ref _waker) is { } waker && (urgent || unread >= Volatile.Read(ref waker.Threshold)))
        {
            waker.Wake();
        }
    }

    private async Task WriteAsync(List<Entry> entries, AuditBatch? batch)
    {
        Exception? failure = null;
        int records = batch?.Records.Count ?? 0;
        if (batch is not null && (_giveUp.IsCancellationRequested || !await WriteWithRetriesAsync(batch, entries).ConfigureAwait(false)))
        {
            failure = Lose(records);
        }

        int places = 0;
        foreach (Entry entry in entries)
        {
            if (failure is null)
            {
                entry.Done?.TrySetResult();
            }
            else
            {
                entry.Done?.TrySetException(failure);
            }

            places += entry.Placed ? 1 : 0;
        }

        if (places > 0)
        {
            _room.Release(places);
        }
    }

    private AuditBatch Seal(List<AuditRecord> records)
    {
        var sealedRecords = new AuditRecord[records.Count];
        for (int i = 0; i < sealedRecords.Length; i++)
        {
            AuditRecord record = records[i];
            long sequence = ++_sequence;
            string hash = _hasher.Compute(record, ChainId, sequence, _previousHash);
            record.Seal(ChainId, sequence, _previousHash, hash);
            _previousHash = hash;
            sealedRecords[i] = record;
        }

        var head = new AuditChainHead { ChainId = ChainId, Instance = Instance, StartedAt = ChainStartedAt, LastSequence = _sequence, LastHash = _previousHash };
        return new AuditBatch(head, sealedRecords);
    }

    private async Task<bool> WriteWithRetriesAsync(AuditBatch batch, List<Entry> entries)
    {
        int failures = 0;
        while (true)
        {
            try
            {
                await _store.WriteAsync(batch, _giveUp.Token).ConfigureAwait(false);
                Statistics.AddWritten(batch.Records.Count);
                if (failures > 0)
                {
                    _failing = false;
                    AuditLog.Recovered(_logger, failures);
                }

                return true;
            }
            catch (Exception) when (_giveUp.IsCancellationRequested)
            {
                return false;
            }
            catch (Exception ex)
            {
                Statistics.AddWriteFailure();
                if (!_failing)
                {
                    // Once per outage at Error; each retry is a warning of its own.
                    _failing = true;
                    AuditLog.StoreFailing(_logger, ex.GetType().Name, Statistics.Queued);
                }

                TimeSpan delay = Backoff(failures++);
                AuditLog.WriteFailed(_logger, batch.Records.Count, failures, ex.GetType().Name, SecretRedactor.Empty.Redact(ex.Message), delay);
                if (failures == 1)
                {
                    // Audit or nothing: a Synchronous call whose record did not make it fails now; the record is retried.
                    foreach (Entry entry in entries)
                    {
                        if (entry.Record is not null)
                        {
                            entry.Done?.TrySetException(ex);
                        }
                    }
                }

                try
                {
                    await Task.Delay(delay, _time, _giveUp.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return false;
                }
            }
        }
    }

    /// <summary>Exponential back-off with "equal jitter": between half and all of min(max, initial × 2^n).</summary>
    private TimeSpan Backoff(int failures)
    {
        double ceiling = Math.Min(_options.RetryMaxDelay.Ticks, _options.RetryInitialDelay.Ticks * Math.Pow(2, Math.Min(failures, MaxBackoffDoublings)));
        return TimeSpan.FromTicks((long)((ceiling / 2) + (Random.Shared.NextDouble() * ceiling / 2)));
    }

    private AuditUnavailableException Lose(int records)
    {
        Statistics.AddLost(records);
        return new AuditUnavailableException("The audit writer shut down before the store took the request's record.", route: null, rejection: false);
    }

    /// <summary>A batch sealed into the chain (or none, for flushes alone), with the entries waiting on it.</summary>
    private sealed record SealedBatch(List<Entry> Entries, AuditBatch? Batch);

    /// <summary>
    /// A queued record (or, without one, a flush), with the completion a Synchronous call or a flush waits on, and whether
    /// it holds a place in the queue (given back once it is written).
    /// </summary>
    private readonly record struct Entry(AuditRecord? Record, TaskCompletionSource? Done, long Timestamp, bool Placed);

    /// <summary>What a writer gathering a batch waits on: woken once, by the queue or by the flush interval's timer.</summary>
    private sealed class Waker
    {
        private readonly TaskCompletionSource _woken = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>How many unread entries fill the batch; none wake the writer until it is set.</summary>
        public int Threshold = int.MaxValue;

        public Task Woken => _woken.Task;

        public void Wake() => _woken.TrySetResult();
    }
}
