using System.Buffers;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace LlmRouter;

/// <summary>
/// The routing layer: picks a deployment of the alias being served (strategy, health, cooldown), sends the request to
/// it with the provider's model id, and records the attempt — its outcome, duration, time to first token, tokens and
/// cost — on the request's route. Usage the provider did not report is counted with the deployment's tokenizer and
/// flagged as estimated: a stream without usage, or one that failed or was cancelled after output, is priced for what
/// was received. A failure is classified, counted against the deployment's health, and surfaced as a
/// <see cref="ProviderException"/> for the fallback layer to act on.
/// </summary>
/// <remarks>
/// <para>
/// Streams get timeouts of their own: for their first update (<see cref="RoutingOptions.StreamFirstTokenTimeout"/>),
/// between later updates (<see cref="RoutingOptions.StreamIdleTimeout"/>) and in total
/// (<see cref="RoutingOptions.StreamTotalTimeout"/>); the caller's cancellation reaches the provider.
/// </para>
/// <para>Thread-safe; one instance serves every request.</para>
/// </remarks>
public sealed class ModelRoutingChatClient : DelegatingChatClient
{
    private readonly RoutingTableProvider _tables;
    private readonly ErrorClassification _errors;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly RouterTelemetry? _telemetry;

    internal ModelRoutingChatClient(IChatClient innerClient, RoutingTableProvider tables, ErrorClassification errors, TimeProvider timeProvider, ILogger logger, RouterTelemetry? telemetry)
        : base(innerClient)
    {
        _tables = tables;
        _errors = errors;
        _time = timeProvider;
        _logger = logger;
        _telemetry = telemetry;
    }

    /// <inheritdoc/>
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        RouterRequest.Enter(ref messages, ref options, _time, _telemetry, streaming: false, out bool owner);
        var routed = (RouterChatOptions)options!;
        return owner
            ? RouterRequest.Run(this, messages, routed, static (self, m, o, ct) => self.RouteAsync(m, o, ct), cancellationToken)
            : RouteAsync(messages, routed, cancellationToken);
    }

    /// <inheritdoc/>
    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        RouterRequest.Enter(ref messages, ref options, _time, _telemetry, streaming: true, out bool owner);
        var routed = (RouterChatOptions)options!;
        return owner
            ? RouterRequest.StreamAsync(this, messages, routed, static (self, m, o, ct) => self.RouteStreamingAsync(m, o, ct), cancellationToken)
            : RouteStreamingAsync(messages, routed, cancellationToken);
    }

    private Task<ChatResponse> RouteAsync(IEnumerable<ChatMessage> messages, RouterChatOptions options, CancellationToken cancellationToken)
    {
        RouteInfo route = options.Route;
        ModelGroup group = route.CurrentGroup ?? RouterRequest.ResolveRequested(route, _tables, _logger);
        ValueTask<Deployment> choosing = ChooseAsync(group, route, cancellationToken);
        return choosing.IsCompletedSuccessfully
            ? Attempt(choosing.Result, messages, options, cancellationToken)
            : AttemptAsync(choosing, messages, options, cancellationToken);
    }

    private async Task<ChatResponse> AttemptAsync(ValueTask<Deployment> choosing, IEnumerable<ChatMessage> messages, RouterChatOptions options, CancellationToken cancellationToken) =>
        await Attempt(await choosing.ConfigureAwait(false), messages, options, cancellationToken).ConfigureAwait(false);

    /// <summary>Calls the deployment and records the attempt; a call the provider completed at once is recorded without a state machine.</summary>
    private Task<ChatResponse> Attempt(Deployment deployment, IEnumerable<ChatMessage> messages, RouterChatOptions options, CancellationToken cancellationToken)
    {
        RouteInfo route = options.Route;
        RouteAttempt attempt = Begin(route, options, deployment);
        long start = _time.GetTimestamp();
        Task<ChatResponse> pending = RouterRequest.Send(InnerClient, route.AttemptMessages ?? messages, options, cancellationToken);
        if (!pending.IsCompletedSuccessfully)
        {
            return FinishAsync(pending, route, attempt, start, cancellationToken);
        }

        deployment.Health.Exit();
        Succeeded(route, attempt, pending.Result, _time.GetElapsedTime(start));
        return pending;
    }

    private async Task<ChatResponse> FinishAsync(Task<ChatResponse> pending, RouteInfo route, RouteAttempt attempt, long start, CancellationToken cancellationToken)
    {
        Deployment deployment = attempt.Deployment!;
        ChatResponse response;
        try
        {
            response = await pending.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            AttemptPricing.Record(route, attempt, response: null);
            End(route, attempt, AttemptOutcome.Cancelled, _time.GetElapsedTime(start));
            throw;
        }
        catch (Exception ex)
        {
            AttemptPricing.Record(route, attempt, response: null);
            throw Failed(route, attempt, ex, _time.GetElapsedTime(start), outputStarted: false, timeoutMessage: null);
        }
        finally
        {
            deployment.Health.Exit();
        }

        Succeeded(route, attempt, response, _time.GetElapsedTime(start));
        return response;
    }

    private void Succeeded(RouteInfo route, RouteAttempt attempt, ChatResponse response, TimeSpan elapsed)
    {
        attempt.Deployment!.Health.RecordLatency(elapsed, streaming: false);
        AttemptPricing.Record(route, attempt, response);
        Served(route, attempt, elapsed);
    }

    private async IAsyncEnumerable<ChatResponseUpdate> RouteStreamingAsync(IEnumerable<ChatMessage> messages, RouterChatOptions options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        RouteInfo route = options.Route;
        ModelGroup group = route.CurrentGroup ?? RouterRequest.ResolveRequested(route, _tables, _logger);
        Deployment deployment = await ChooseAsync(group, route, cancellationToken).ConfigureAwait(false);
        RouteAttempt attempt = Begin(route, options, deployment);
        using var timeouts = new StreamTimeouts(route.Table!.Routing, _time, cancellationToken);
        long start = _time.GetTimestamp();
        IAsyncEnumerator<ChatResponseUpdate>? updates = null;
        UsageDetails? usage = null;
        using var transcript = new StreamTranscript();
        bool completed = false;
        try
        {
            while (true)
            {
                try
                {
                    updates ??= InnerClient.GetStreamingResponseAsync(route.AttemptMessages ?? messages, options, timeouts.Token).GetAsyncEnumerator(timeouts.Token);
                    if (!await updates.MoveNextAsync().ConfigureAwait(false))
                    {
                        completed = true;
                        break;
                    }
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }
                catch (Exception ex)
                {
                    AttemptPricing.Record(route, attempt, usage, transcript, processed: attempt.OutputStarted);
                    throw Failed(route, attempt, ex, _time.GetElapsedTime(start), attempt.OutputStarted, timeouts.Expired ? timeouts.Describe() : null);
                }

                ChatResponseUpdate update = updates.Current;
                if (!attempt.OutputStarted)
                {
                    // From its first update the stream is this deployment's: fallback never switches a started stream.
                    route.Deployment = deployment;
                    attempt.OutputStarted = true;
                    attempt.TimeToFirstToken = _time.GetElapsedTime(start);
                    route.TimeToFirstToken ??= route.Elapsed;
                    deployment.Health.RecordLatency(attempt.TimeToFirstToken.Value, streaming: true);
                }

                usage = UsageNormalizer.Accumulate(usage, update, deployment.UsageFormat);
                transcript.Append(update.Contents);

                // A caller slow to take an update must not make the provider look silent (and count against its health).
                timeouts.Pause();
                yield return update;
                timeouts.Restart();
            }
        }
        finally
        {
            deployment.Health.Exit();
            if (updates is not null)
            {
                await updates.DisposeAsync().ConfigureAwait(false);
            }

            if (attempt.Outcome == AttemptOutcome.Pending)
            {
                TimeSpan elapsed = _time.GetElapsedTime(start);
                AttemptPricing.Record(route, attempt, usage, transcript, processed: completed || attempt.OutputStarted);
                if (completed)
                {
                    Served(route, attempt, elapsed);
                }
                else
                {
                    // The caller cancelled or stopped reading: what was received still counts.
                    End(route, attempt, AttemptOutcome.Cancelled, elapsed);
                }
            }
        }
    }

    /// <summary>Picks the deployment for the next attempt on the alias, asking the gates before calling it.</summary>
    private async ValueTask<Deployment> ChooseAsync(ModelGroup group, RouteInfo route, CancellationToken cancellationToken)
    {
        while (true)
        {
            Deployment deployment = Select(group, route);
            route.AttemptMessages = null;
            if (route.Gates.Count == 0)
            {
                return deployment;
            }

            string? skip = null;
            for (int i = 0; i < route.Gates.Count && skip is null; i++)
            {
                skip = await route.Gates[i].BeforeAttemptAsync(route, deployment, cancellationToken).ConfigureAwait(false);
            }

            if (skip is null)
            {
                return deployment;
            }

            route.RecordSkip(group.Name, deployment, skip);
            RouterLog.Skipped(_logger, group.Name, deployment.Id, skip);
        }
    }

    private static Deployment Select(ModelGroup group, RouteInfo route)
    {
        Deployment[] buffer = ArrayPool<Deployment>.Shared.Rent(group.Deployments.Length);
        int count = 0;
        try
        {
            count = DeploymentCandidates.Collect(group, route, buffer);
            if (count == 0)
            {
                throw new AllDeploymentsFailedException(group.Name, route, lastFailure: null);
            }

            int chosen = count == 1 ? 0 : group.Selector.Select(new ReadOnlySpan<Deployment>(buffer, 0, count), new DeploymentSelectionArguments(group.Name, route));
            if ((uint)chosen >= (uint)count)
            {
                throw new InvalidOperationException($"The routing strategy of '{group.Name}' chose candidate {chosen} of {count}.");
            }

            return buffer[chosen];
        }
        finally
        {
            Array.Clear(buffer, 0, Math.Max(count, group.Deployments.Length));
            ArrayPool<Deployment>.Shared.Return(buffer);
        }
    }

    private static RouteAttempt Begin(RouteInfo route, RouterChatOptions options, Deployment deployment)
    {
        RouteAttempt attempt = route.BeginAttempt(deployment);
        options.ModelId = deployment.ProviderModel;
        route.CurrentDeployment = deployment;
        deployment.Health.Enter();
        return attempt;
    }

    private void Served(RouteInfo route, RouteAttempt attempt, TimeSpan elapsed)
    {
        attempt.Outcome = AttemptOutcome.Succeeded;
        attempt.Duration = elapsed;
        route.Deployment = attempt.Deployment;
        RouterLog.AttemptFinished(_logger, attempt.Model, attempt.Deployment!.Id, attempt.Deployment.Region, AttemptOutcome.Succeeded, elapsed.TotalMilliseconds);
    }

    private void End(RouteInfo route, RouteAttempt attempt, AttemptOutcome outcome, TimeSpan elapsed)
    {
        attempt.Outcome = outcome;
        attempt.Duration = elapsed;
        if (attempt.OutputStarted)
        {
            route.Deployment = attempt.Deployment;
        }

        RouterLog.AttemptFinished(_logger, attempt.Model, attempt.Deployment!.Id, attempt.Deployment.Region, outcome, elapsed.TotalMilliseconds);
    }

    private ProviderException Failed(RouteInfo route, RouteAttempt attempt, Exception exception, TimeSpan elapsed, bool outputStarted, string? timeoutMessage)
    {
        Deployment deployment = attempt.Deployment!;
        RoutingTable table = route.Table ?? _tables.Current;
        ProviderFailure failure = timeoutMessage is null ? _errors.Classify(exception) : new ProviderFailure(ErrorClass.Timeout);
        attempt.ErrorClass = failure.ErrorClass;
        attempt.StatusCode = failure.StatusCode;
        attempt.RetryAfter = failure.RetryAfter;
        attempt.Error = table.Redactor.Redact(timeoutMessage ?? exception.Message);
        attempt.OutputStarted = outputStarted;
        End(route, attempt, AttemptOutcome.Failed, elapsed);
        if (deployment.Health.RecordFailure(failure.ErrorClass, failure.RetryAfter, table.Routing))
        {
            RouterLog.CooledDown(_logger, deployment.Id, deployment.Health.CooldownRemaining, failure.ErrorClass);
        }

        return new ProviderException(route, attempt, exception);
    }
}
