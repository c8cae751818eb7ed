using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LlmRouter.Tests.Support;

/// <summary>
/// A loopback HTTP server speaking OpenAI's chat-completions wire format, so that tests run LlmRouter through the real
/// OpenAI SDK and the real HTTP stack without reaching the internet.
/// </summary>
/// <remarks>
/// <para>
/// It answers <c>POST /v1/chat/completions</c> (OpenAI, OpenAI-compatible) and <c>POST /openai/v1/chat/completions</c>
/// (Azure OpenAI's v1 API); any other path gets OpenAI's 404 error. Each request takes the next behaviour queued with
/// <see cref="Enqueue"/>, or, when the queue is empty, the one set with <see cref="RespondWith(WireBehavior)"/> (by
/// default <see cref="WireBehavior.Reply"/>). Every request is recorded in <see cref="Requests"/> as it arrives,
/// before it is answered.
/// </para>
/// <para>
/// Point a provider at <see cref="Endpoint"/> (OpenAI kinds) or <see cref="BaseAddress"/> (Azure OpenAI). It depends
/// only on ASP.NET Core, so a sample or a benchmark can include these files as they are. Thread-safe.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// await using var server = await OpenAIWireServer.StartAsync();
/// server.Enqueue(WireBehavior.RateLimited(retryAfter: TimeSpan.FromSeconds(30)));   // the first request
/// server.RespondWith(WireBehavior.Reply("Hi.", new WireUsage(12, 3, CachedTokens: 8))); // every later one
/// options.Providers["openai"] = new() { Kind = ProviderKind.OpenAI, Endpoint = server.Endpoint, ApiKey = "sk-test", Region = "eu" };
/// ...
/// Assert.Equal("gpt-4o-2024-08-06", server.Requests[0].Model);
/// </code>
/// </example>
public sealed class OpenAIWireServer : IAsyncDisposable
{
    private static readonly byte[] Done = "data: [DONE]\n\n"u8.ToArray();

    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _lock = new();
    private readonly Queue<WireBehavior> _queue = new();
    private readonly List<WireRequest> _requests = [];
    private readonly List<(int Count, TaskCompletionSource Arrived)> _waiters = [];
    private Func<WireRequest, WireBehavior> _script = static _ => WireBehavior.Reply();
    private int _ids;

    private OpenAIWireServer(WebApplication app) => _app = app;

    /// <summary>Gets the server's root, <c>http://127.0.0.1:{port}/</c>: the <c>Endpoint</c> of an Azure OpenAI provider.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Gets <c>http://127.0.0.1:{port}/v1/</c>: the <c>Endpoint</c> of an OpenAI or OpenAI-compatible provider.</summary>
    public Uri Endpoint => new(BaseAddress, "v1/");

    /// <summary>Gets every request received so far, in order of arrival.</summary>
    public IReadOnlyList<WireRequest> Requests
    {
        get
        {
            lock (_lock)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Gets the number of requests received so far.</summary>
    public int RequestCount
    {
        get
        {
            lock (_lock)
            {
                return _requests.Count;
            }
        }
    }

    /// <summary>Waits until the server has received at least <paramref name="count"/> requests, for example to act while one hangs.</summary>
    /// <param name="count">The number of requests to wait for.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task that completes when they have arrived.</returns>
    public Task WaitForRequestsAsync(int count, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (_requests.Count >= count)
            {
                return Task.CompletedTask;
            }

            var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, arrived));
            return arrived.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Starts a server on a free loopback port.</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running server.</returns>
    public static async Task<OpenAIWireServer> StartAsync(CancellationToken cancellationToken = default)
    {
        WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));

        // Requests still hanging when a test ends are cut off, not waited for.
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(1));
        WebApplication app = builder.Build();
        var server = new OpenAIWireServer(app);
        RunExtensions.Run(app, server.HandleAsync);
        await app.StartAsync(cancellationToken);
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server.BaseAddress = new Uri(address.TrimEnd('/') + "/");
        return server;
    }

    /// <summary>Queues behaviours, one per coming request, ahead of the default.</summary>
    /// <param name="behaviors">The behaviours, in order.</param>
    /// <returns>This server.</returns>
    public OpenAIWireServer Enqueue(params WireBehavior[] behaviors)
    {
        lock (_lock)
        {
            foreach (WireBehavior behavior in behaviors)
            {
                _queue.Enqueue(behavior);
            }
        }

        return this;
    }

    /// <summary>Sets what every request gets once the queue is empty.</summary>
    /// <param name="behavior">The behaviour.</param>
    /// <returns>This server.</returns>
    public OpenAIWireServer RespondWith(WireBehavior behavior)
    {
        ArgumentNullException.ThrowIfNull(behavior);
        return RespondWith(_ => behavior);
    }

    /// <summary>Sets how each request is answered once the queue is empty, chosen from the request itself.</summary>
    /// <param name="script">Chooses the behaviour; called on the server's threads.</param>
    /// <returns>This server.</returns>
    public OpenAIWireServer RespondWith(Func<WireRequest, WireBehavior> script)
    {
        ArgumentNullException.ThrowIfNull(script);
        lock (_lock)
        {
            _script = script;
        }

        return this;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
        _stopping.Dispose();
    }

    private static bool IsChatCompletions(HttpRequest request) =>
        HttpMethods.IsPost(request.Method) &&
        (request.Path.Equals("/v1/chat/completions", StringComparison.Ordinal) || request.Path.Equals("/openai/v1/chat/completions", StringComparison.Ordinal));

    private async Task HandleAsync(HttpContext context)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        CancellationToken cancellationToken = linked.Token;
        try
        {
            WireRequest request = await ReadAsync(context.Request, cancellationToken);
            WireBehavior behavior;
            lock (_lock)
            {
                _requests.Add(request);
                _waiters.RemoveAll(waiter => waiter.Count <= _requests.Count && waiter.Arrived.TrySetResult());
                if (!IsChatCompletions(context.Request))
                {
                    behavior = WireBehavior.Error(404, null, $"Invalid URL ({request.Method} {request.Path})");
                }
                else if (!_queue.TryDequeue(out behavior!))
                {
                    behavior = _script(request);
                }
            }

            await AnswerAsync(context, request, behavior, cancellationToken);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException && cancellationToken.IsCancellationRequested)
        {
            // The client gave up or the server is stopping: drop the connection as a real server would.
            context.Abort();
        }
    }

    private static async Task<WireRequest> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        string body = await reader.ReadToEndAsync(cancellationToken);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach ((string name, Microsoft.Extensions.Primitives.StringValues values) in request.Headers)
        {
            headers[name] = values.ToString();
        }

        return new WireRequest(request.Method, request.Path.Value ?? string.Empty, headers, body);
    }

    private async Task AnswerAsync(HttpContext context, WireRequest request, WireBehavior behavior, CancellationToken cancellationToken)
    {
        if (behavior.Delay > TimeSpan.Zero)
        {
            await Task.Delay(behavior.Delay, cancellationToken);
        }

        HttpResponse response = context.Response;
        int id = Interlocked.Increment(ref _ids);
        response.Headers["x-request-id"] = "req_" + id.ToString("x8", CultureInfo.InvariantCulture);
        foreach ((string name, string value) in behavior.Headers)
        {
            response.Headers[name] = value;
        }

        var answer = new Answer("chatcmpl-wire" + id.ToString("x8", CultureInfo.InvariantCulture), DateTimeOffset.UtcNow.ToUnixTimeSeconds(), behavior.Model ?? request.Model ?? "unknown");
        switch (behavior.Kind)
        {
            case WireBehaviorKind.Error:
                response.StatusCode = behavior.StatusCode;
                response.ContentType = "application/json";
                await response.Body.WriteAsync(OpenAIWireFormat.Error(behavior.ErrorMessage, behavior.ErrorType, behavior.ErrorParam, behavior.ErrorCode), cancellationToken);
                break;
            case WireBehaviorKind.Hang:
                await Task.Delay(Timeout.Infinite, cancellationToken);
                break;
            case WireBehaviorKind.MalformedJson:
                await MalformedAsync(response, request.IsStreaming, answer, cancellationToken);
                break;
            case WireBehaviorKind.Reply or WireBehaviorKind.AbortAfter or WireBehaviorKind.StallAfter when request.IsStreaming:
                await StreamAsync(context, request, behavior, answer, cancellationToken);
                break;
            default:
                await CompleteAsync(context, behavior, answer, cancellationToken);
                break;
        }
    }

    private static async Task CompleteAsync(HttpContext context, WireBehavior behavior, Answer answer, CancellationToken cancellationToken)
    {
        byte[] body = OpenAIWireFormat.Completion(answer.Id, answer.Created, answer.Model, behavior.Text, behavior.FinishReason, behavior.Usage, behavior.ToolCall);
        HttpResponse response = context.Response;
        response.StatusCode = 200;
        response.ContentType = "application/json";
        response.ContentLength = body.Length;
        if (behavior.Kind == WireBehaviorKind.Reply)
        {
            await response.Body.WriteAsync(body, cancellationToken);
            return;
        }

        await response.Body.WriteAsync(body.AsMemory(0, body.Length / 2), cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
        await EndEarlyAsync(behavior, cancellationToken);
    }

    private static async Task StreamAsync(HttpContext context, WireRequest request, WireBehavior behavior, Answer answer, CancellationToken cancellationToken)
    {
        List<byte[]> frames = Frames(request, behavior, answer);
        HttpResponse response = context.Response;
        response.StatusCode = 200;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        if (behavior.Kind == WireBehaviorKind.AbortAfter)
        {
            // A declared length the body never reaches makes Kestrel close the connection once what was written is
            // flushed, so the client reads every frame sent before the drop (HttpContext.Abort would discard them).
            response.ContentLength = frames.Sum(frame => (long)frame.Length);
        }

        // Like OpenAI, the headers go out before the first token, so the client's header timeout is over.
        await response.StartAsync(cancellationToken);
        await response.Body.FlushAsync(cancellationToken);

        int count = behavior.Kind == WireBehaviorKind.Reply ? frames.Count : Math.Min(behavior.AfterChunks, frames.Count);
        for (int i = 0; i < count; i++)
        {
            if (i > 0 && behavior.ChunkDelay > TimeSpan.Zero)
            {
                await Task.Delay(behavior.ChunkDelay, cancellationToken);
            }

            await response.Body.WriteAsync(frames[i], cancellationToken);
            await response.Body.FlushAsync(cancellationToken);
        }

        if (behavior.Kind != WireBehaviorKind.Reply)
        {
            await EndEarlyAsync(behavior, cancellationToken);
        }
    }

    private static List<byte[]> Frames(WireRequest request, WireBehavior behavior, Answer answer)
    {
        bool usageRequested = request.IncludesUsage;
        List<byte[]> frames = [Event(OpenAIWireFormat.Chunk(answer.Id, answer.Created, answer.Model, "assistant", string.Empty, null, usageRequested))];
        foreach (string chunk in behavior.Chunks ?? Words(behavior.Text))
        {
            frames.Add(Event(OpenAIWireFormat.Chunk(answer.Id, answer.Created, answer.Model, null, chunk, null, usageRequested)));
        }

        frames.Add(Event(OpenAIWireFormat.Chunk(answer.Id, answer.Created, answer.Model, null, null, behavior.FinishReason, usageRequested)));
        if (usageRequested && behavior.Usage is not null)
        {
            frames.Add(Event(OpenAIWireFormat.UsageChunk(answer.Id, answer.Created, answer.Model, behavior.Usage)));
        }

        frames.Add(Done);
        return frames;
    }

    /// <summary>Ends a started answer early: a stall waits for the client to give up; an abort returns short of the declared length, which closes the connection.</summary>
    private static async Task EndEarlyAsync(WireBehavior behavior, CancellationToken cancellationToken)
    {
        if (behavior.Kind == WireBehaviorKind.StallAfter)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
    }

    private static async Task MalformedAsync(HttpResponse response, bool streaming, Answer answer, CancellationToken cancellationToken)
    {
        response.StatusCode = 200;
        response.ContentType = streaming ? "text/event-stream; charset=utf-8" : "application/json";
        string body = streaming
            ? $"data: {{\"id\":\"{answer.Id}\",\"object\":\"chat.completion.chunk\",\"choices\":[{{\"index\":0,\"delta\":{{\"content\":\n\n"
            : $"{{\"id\":\"{answer.Id}\",\"object\":\"chat.completion\",\"choices\":[{{\"index\":0,\"message\":{{\"role\":\"assist";
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(body), cancellationToken);
    }

    private static byte[] Event(byte[] json)
    {
        byte[] frame = new byte[json.Length + 8];
        "data: "u8.CopyTo(frame);
        json.CopyTo(frame, 6);
        "\n\n"u8.CopyTo(frame.AsSpan(6 + json.Length));
        return frame;
    }

    /// <summary>Splits text into words that keep their leading space, as a model streams them.</summary>
    private static List<string> Words(string text)
    {
        var words = new List<string>();
        int start = 0;
        for (int i = 1; i <= text.Length; i++)
        {
            if (i == text.Length || text[i] == ' ')
            {
                words.Add(text[start..i]);
                start = i;
            }
        }

        return words;
    }

    private readonly record struct Answer(string Id, long Created, string Model);
}
