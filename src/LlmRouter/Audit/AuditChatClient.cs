using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LlmRouter;

/// <summary>
/// The audit layer: the outermost layer of LlmRouter's pipeline. It owns each request — times it, sees how it ended
/// (served, refused by an inner layer, failed, cancelled, or a stream the caller stopped reading) — and hands exactly
/// one <see cref="AuditRecord"/> per request, with every attempt, to the audit writer.
/// </summary>
/// <remarks>
/// <para>
/// In <see cref="AuditDurability.Buffered"/> mode a request never waits on the store and never fails because of it
/// while the queue has room; in <see cref="AuditDurability.Synchronous"/> mode a call returns (a stream ends) only after
/// its record is durable, and fails with <see cref="AuditUnavailableException"/> when it cannot be. When the queue is
/// full, <see cref="AuditOptions.QueueFull"/> decides, before the request is sent.
/// </para>
/// <para>
/// Every request leaves exactly one record — also one cancelled before it started or while it waited for room in the
/// queue, one whose <c>OnRouteStarted</c> callback threw (<c>caller_error</c>), one whose content a custom
/// <see cref="IAuditContentRedactor"/> failed to redact (recorded without content) — except a request refused because
/// the queue was full with <see cref="AuditQueueFullBehavior.Reject"/>, and records dropped as
/// <see cref="AuditQueueFullBehavior.Drop"/> says or after the writer shut down (each counted and logged).
/// </para>
/// <para>
/// On a client that LlmRouter does not route (audit-only mode: <c>new ChatClientBuilder(client).UseLlmRouterAudit()</c>)
/// it records the client's calls as they are, with the model the caller asked for, the provider the client names, the
/// tokens and the catalog price.
/// </para>
/// <para>Thread-safe; one instance serves every request. Records hold no secret; content only when configured.</para>
/// </remarks>
public sealed class AuditChatClient : DelegatingChatClient
{
    private readonly AuditWriter _writer;
    private readonly AuditOptions _options;
    private readonly IAuditContentRedactor _contentRedactor;
    private readonly Func<SecretRedactor> _secrets;
    private readonly TimeProvider _time;
    private readonly RouterTelemetry? _telemetry;

    internal AuditChatClient(IChatClient innerClient, AuditWriter writer, IAuditContentRedactor contentRedactor, Func<SecretRedactor> secrets, TimeProvider timeProvider, RouterTelemetry? telemetry)
        : base(innerClient)
    {
        _telemetry = telemetry;
        _writer = writer;
        _options = writer.Options;
        _contentRedactor = contentRedactor;
        _secrets = secrets;
        _time = timeProvider;
    }

    /// <summary>Gets the audit writer's counters.</summary>
    public AuditWriterStatistics Statistics => _writer.Statistics;

    /// <summary>Gets or sets how a completed request's record is built (a seam for the specs of a builder that fails).</summary>
    internal Func<RouteInfo, Exception?, AuditContent?, SecretRedactor, AuditRecord> BuildRecord { get; set; } = AuditRecords.From;

    /// <inheritdoc/>
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        RouteInfo route = RouterRequest.Enter(ref messages, ref options, _time, _telemetry, streaming: false, out bool owner, out Action<RouteInfo>? started);
        return owner
            ? AuditAsync(messages, (RouterChatOptions)options!, route, started, cancellationToken)
            : base.GetResponseAsync(messages, options, cancellationToken);
    }

    /// <inheritdoc/>
    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (options is RouterChatOptions)
        {
            return base.GetStreamingResponseAsync(messages, options, cancellationToken);
        }

        // The request is made now: its caller (the ambient context, the key on the options) is the one current now, as
        // without the audit layer. It is admitted, sent and recorded only when the stream is read: never read, never sent.
        RouteInfo route = RouterRequest.Enter(ref messages, ref options, _time, _telemetry, streaming: true, out _, out Action<RouteInfo>? started);
        if (started is not null)
        {
            try
            {
                started(route);
            }
            catch (Exception ex)
            {
                Abandon(route, ex, messages, callerError: true, CancellationToken.None);
                throw;
            }
        }

        return AuditStreamingAsync(messages, (RouterChatOptions)options!, route, cancellationToken);
    }

    /// <summary>Adds the audit layer to a pipeline, or returns the inner client when auditing is off or has no store and is optional.</summary>
    internal static IChatClient Create(IChatClient innerClient, IServiceProvider services, bool required)
    {
        AuditOptions? options = services.GetService<IOptions<LlmRouterOptions>>()?.Value.Audit;
        if (options is { Enabled: false })
        {
            return innerClient;
        }

        if (services.GetService<IAuditStore>() is null || services.GetService<AuditWriter>() is not { } writer)
        {
            return required
                ? throw new InvalidOperationException(
                    "No audit store is registered: add one with services.AddLlmRouter(...).AddSqliteStores(...) or .AddPostgresStores(...) (or AddLlmRouterAudit(...) for audit-only mode), or register an IAuditStore.")
                : innerClient;
        }

        bool routed = innerClient.GetService(typeof(FallbackChatClient)) is not null || innerClient.GetService(typeof(ModelRoutingChatClient)) is not null;
        TimeProvider time = RouterServices.Time(services);
        if (!routed)
        {
            innerClient = new ObservedChatClient(innerClient, time, services.GetService<ErrorClassification>() ?? ErrorClassification.BuiltIn);
        }

        RoutingTableProvider? tables = routed ? services.GetService<RoutingTableProvider>() : null;
        Func<SecretRedactor> secrets = tables is null ? static () => SecretRedactor.Empty : () => tables.Current.Redactor;
        return new AuditChatClient(innerClient, writer, services.GetService<IAuditContentRedactor>() ?? AuditContentRedactor.Instance, secrets, time, RouterServices.Telemetry(services));
    }

    /// <summary>
    /// Audits a call. When it is admitted at once, the inner layers complete it at once and its record is queued at once
    /// (the usual case with a Buffered audit log and a provider that completed synchronously), it completes without a
    /// state machine; otherwise it continues on the async path from where it stopped.
    /// </summary>
    private Task<ChatResponse> AuditAsync(IEnumerable<ChatMessage> messages, RouterChatOptions options, RouteInfo route, Action<RouteInfo>? started, CancellationToken cancellationToken)
    {
        if (route.Telemetry?.IsTracing == true)
        {
            return AuditTracedAsync(messages, options, route, started, cancellationToken);
        }

        ValueTask<bool> admitting = StartAsync(route, started, messages, cancellationToken);
        if (!admitting.IsCompletedSuccessfully)
        {
            return AuditAsync(messages, options, route, admitting, pending: null, cancellationToken);
        }

        bool admitted = admitting.Result;
        Task<ChatResponse> pending = RouterRequest.Send(InnerClient, messages, options, cancellationToken);
        if (!pending.IsCompletedSuccessfully)
        {
            return AuditAsync(messages, options, route, new ValueTask<bool>(admitted), pending, cancellationToken);
        }

        ChatResponse response = pending.Result;
        RouterRequest.Complete(route, failure: null, abandoned: false, cancellationToken);
        ValueTask recording;
        try
        {
            recording = RecordAsync(route, failure: null, messages, response, content: null, admitted);
        }
        catch (Exception ex)
        {
            return Task.FromException<ChatResponse>(ex);
        }

        if (!recording.IsCompletedSuccessfully)
        {
            return AttachWhenRecordedAsync(recording, response, route);
        }

        recording.GetAwaiter().GetResult();
        RouterRequest.Attach(response, route);
        return pending;
    }

    private async Task<ChatResponse> AuditTracedAsync(IEnumerable<ChatMessage> messages, RouterChatOptions options, RouteInfo route, Action<RouteInfo>? started, CancellationToken cancellationToken)
    {
        // Here, inside the async flow, so that the span is the current activity for the layers within and not for the caller.
        route.Telemetry?.Start(route);
        return await AuditAsync(messages, options, route, StartAsync(route, started, messages, cancellationToken), pending: null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The async path: waits for the request's place in the queue and for the call (unless already made), then records it.</summary>
    private async Task<ChatResponse> AuditAsync(IEnumerable<ChatMessage> messages, RouterChatOptions options, RouteInfo route, ValueTask<bool> admitting, Task<ChatResponse>? pending, CancellationToken cancellationToken)
    {
        bool admitted = await admitting.ConfigureAwait(false);
        ChatResponse? response = null;
        Exception? failure = null;
        try
        {
            response = await (pending ?? RouterRequest.Send(InnerClient, messages, options, cancellationToken)).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            failure = ex;
        }

        RouterRequest.Complete(route, failure, abandoned: false, cancellationToken);
        await RecordAsync(route, failure, messages, response, content: null, admitted).ConfigureAwait(false);
        if (failure is not null)
        {
            ExceptionDispatchInfo.Throw(failure);
        }

        RouterRequest.Attach(response!, route);
        return response!;
    }

    private static async Task<ChatResponse> AttachWhenRecordedAsync(ValueTask recording, ChatResponse response, RouteInfo route)
    {
        await recording.ConfigureAwait(false);
        RouterRequest.Attach(response, route);
        return response;
    }

    private async IAsyncEnumerable<ChatResponseUpdate> AuditStreamingAsync(IEnumerable<ChatMessage> messages, RouterChatOptions routed, RouteInfo route, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Here, inside the stream's flow, so that the span is the current activity for the layers within and not for the caller.
        route.Telemetry?.Start(route);
        bool admitted = await StartAsync(route, started: null, messages, cancellationToken).ConfigureAwait(false);
        AuditContent? content = _options.Content == AuditContentMode.None ? null : new AuditContent(_options.Content, _options.ContentMaxChars);
        IAsyncEnumerator<ChatResponseUpdate>? updates = null;
        Exception? failure = null;
        bool completed = false;
        try
        {
            while (true)
            {
                try
                {
                    updates ??= base.GetStreamingResponseAsync(messages, routed, cancellationToken).GetAsyncEnumerator(cancellationToken);
                    if (!await updates.MoveNextAsync().ConfigureAwait(false))
                    {
                        break;
                    }
                }
                catch (Exception ex)
                {
                    failure = ex;
                    throw;
                }

                content?.Append(updates.Current);
                yield return updates.Current;
            }

            completed = true;
        }
        finally
        {
            if (updates is not null)
            {
                await updates.DisposeAsync().ConfigureAwait(false);
            }

            RouterRequest.Complete(route, failure, abandoned: !completed && failure is null, cancellationToken);
            await RecordAsync(route, failure, messages, response: null, content, admitted).ConfigureAwait(false);
        }

        yield return new ChatResponseUpdate { AdditionalProperties = new() { [RouterRequest.RouteInfoKey] = route } };
    }

    /// <summary>
    /// Runs the caller's <c>OnRouteStarted</c> callback and takes the request's place in the audit queue. A request that
    /// ends here was never sent, and is recorded all the same — except one refused because the queue was full
    /// (<see cref="AuditQueueFullBehavior.Reject"/>): its record is what could not be kept.
    /// </summary>
    private async ValueTask<bool> StartAsync(RouteInfo route, Action<RouteInfo>? started, IEnumerable<ChatMessage> messages, CancellationToken cancellationToken)
    {
        bool inCallback = true;
        try
        {
            started?.Invoke(route);
            inCallback = false;
            return await _writer.AdmitAsync(route, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Abandon(route, ex, messages, inCallback, cancellationToken);
            throw;
        }
    }

    /// <summary>Ends a request that failed before it was sent — its callback threw, or it was not admitted — and keeps its record (but for a refusal by a full queue, which is counted instead).</summary>
    private void Abandon(RouteInfo route, Exception failure, IEnumerable<ChatMessage> messages, bool callerError, CancellationToken cancellationToken)
    {
        RouterRequest.Complete(route, failure, abandoned: false, cancellationToken);
        if (callerError)
        {
            route.ReasonCode = ReasonCodes.CallerError;
        }

        if (failure is not AuditUnavailableException { IsRejection: true })
        {
            _writer.Keep(Build(route, failure, messages, response: null, content: null), route);
        }
    }

    private ValueTask RecordAsync(RouteInfo route, Exception? failure, IEnumerable<ChatMessage> messages, ChatResponse? response, AuditContent? content, bool admitted) =>
        _writer.SubmitAsync(Build(route, failure, messages, response, content), admitted, route);

    /// <summary>Builds the request's record; never throws, so that no failure here can cost a request its record.</summary>
    private AuditRecord Build(RouteInfo route, Exception? failure, IEnumerable<ChatMessage> messages, ChatResponse? response, AuditContent? content)
    {
        SecretRedactor secrets = _secrets();
        if (_options.Content != AuditContentMode.None)
        {
            content ??= new AuditContent(_options.Content, _options.ContentMaxChars);
            try
            {
                content.Complete(messages, response, route, _contentRedactor, secrets);
            }
            catch (Exception ex)
            {
                // Text that could not be redacted is not stored; the exception's message could hold some of it.
                AuditLog.ContentFailed(_writer.Logger, _contentRedactor.GetType().Name, ex.GetType().Name);
                content = null;
            }
        }

        try
        {
            return BuildRecord(route, failure, content, secrets);
        }
        catch (Exception ex)
        {
            AuditLog.RecordFailed(_writer.Logger, ex.GetType().Name);
            return AuditRecords.Minimal(route, ex);
        }
    }
}
