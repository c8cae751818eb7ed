using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace LlmRouter.Cli.Tests.Support;

/// <summary>
/// Debian's Chromium (<c>/usr/bin/chromium</c>), headless, driven over the Chrome DevTools Protocol on a WebSocket: opens
/// a page, records every network request it makes, and evaluates JavaScript in it. The tests fail — never skip — when
/// Chromium is missing.
/// </summary>
internal sealed partial class HeadlessChromium : IAsyncDisposable
{
    public const string Executable = "/usr/bin/chromium";

    private readonly Process _process;
    private readonly string _profile;
    private readonly ClientWebSocket _socket = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonObject>> _pending = new();
    private readonly ConcurrentQueue<JsonObject> _events = new();
    private readonly CancellationTokenSource _stop = new();
    private Task? _reader;
    private int _nextId;
    private string? _session;

    private HeadlessChromium(Process process, string profile)
    {
        _process = process;
        _profile = profile;
    }

    /// <summary>Gets the URLs of the requests the page made (<c>Network.requestWillBeSent</c>), the page itself included.</summary>
    public IEnumerable<string> Requests => _events.Where(e => (string?)e["method"] == "Network.requestWillBeSent").Select(e => (string)e["params"]!["request"]!["url"]!);

    public static async Task<HeadlessChromium> StartAsync()
    {
        if (!File.Exists(Executable))
        {
            throw new InvalidOperationException($"Chromium is not installed at {Executable}: install Debian's 'chromium' package (apt-get install -y chromium; .ci/run does). The report is specified by rendering it.");
        }

        string profile = Directory.CreateTempSubdirectory("llmrouter-chromium-").FullName;
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (string flag in (string[])["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile, "--remote-debugging-port=0", "--window-size=1200,900", "about:blank"])
        {
            start.ArgumentList.Add(flag);
        }

        Process process = Process.Start(start) ?? throw new InvalidOperationException("Chromium did not start.");
        var chromium = new HeadlessChromium(process, profile);
        try
        {
            string endpoint = await chromium.ReadEndpointAsync();
            await chromium._socket.ConnectAsync(new Uri(endpoint), CancellationToken.None);
            chromium._reader = Task.Run(chromium.ReadAsync);
            JsonObject target = await chromium.SendAsync("Target.createTarget", new JsonObject { ["url"] = "about:blank" });
            JsonObject attached = await chromium.SendAsync("Target.attachToTarget", new JsonObject { ["targetId"] = (string)target["targetId"]!, ["flatten"] = true });
            chromium._session = (string)attached["sessionId"]!;
            await chromium.SendAsync("Network.enable", []);
            await chromium.SendAsync("Page.enable", []);
            return chromium;
        }
        catch
        {
            await chromium.DisposeAsync();
            throw;
        }
    }

    /// <summary>Opens a page and waits until it has loaded.</summary>
    public async Task OpenAsync(string url)
    {
        int before = _events.Count(e => (string?)e["method"] == "Page.loadEventFired");
        await SendAsync("Page.navigate", new JsonObject { ["url"] = url });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (_events.Count(e => (string?)e["method"] == "Page.loadEventFired") == before)
        {
            await Task.Delay(20, timeout.Token);
        }
    }

    /// <summary>Evaluates a JavaScript expression in the page and returns its value, as JSON.</summary>
    public async Task<JsonNode?> EvaluateAsync(string expression)
    {
        JsonObject result = await SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true });
        if (result["exceptionDetails"] is JsonNode exception)
        {
            throw new InvalidOperationException("The script failed: " + exception.ToJsonString());
        }

        return result["result"]!["value"];
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _socket.Dispose();
        _process.Dispose();
        if (_reader is not null)
        {
            await Task.WhenAny(_reader, Task.Delay(1000));
        }

        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // Chromium may still hold a file for a moment; a leftover temp directory is harmless.
        }
        catch (UnauthorizedAccessException)
        {
        }

        _stop.Dispose();
    }

    private async Task<string> ReadEndpointAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var seen = new StringBuilder();
        while (true)
        {
            string? line = await _process.StandardError.ReadLineAsync(timeout.Token);
            if (line is null)
            {
                throw new InvalidOperationException("Chromium exited before it listened for DevTools:\n" + seen);
            }

            seen.AppendLine(line);
            Match match = DevToolsLine().Match(line);
            if (match.Success)
            {
                // Keep draining stderr so Chromium never blocks on a full pipe.
                _ = _process.StandardError.ReadToEndAsync();
                _ = _process.StandardOutput.ReadToEndAsync();
                return match.Groups[1].Value;
            }
        }
    }

    private async Task<JsonObject> SendAsync(string method, JsonObject parameters)
    {
        int id = Interlocked.Increment(ref _nextId);
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters };
        if (_session is not null)
        {
            message["sessionId"] = _session;
        }

        var reply = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        JsonObject answer = await reply.Task.WaitAsync(TimeSpan.FromSeconds(30));
        return answer["error"] is JsonNode error
            ? throw new InvalidOperationException($"{method} failed: {error.ToJsonString()}")
            : (JsonObject)answer["result"]!;
    }

    private async Task ReadAsync()
    {
        var buffer = new byte[64 * 1024];
        var message = new MemoryStream();
        try
        {
            while (!_stop.IsCancellationRequested && _socket.State == WebSocketState.Open)
            {
                WebSocketReceiveResult received = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                message.Write(buffer, 0, received.Count);
                if (!received.EndOfMessage)
                {
                    continue;
                }

                var json = (JsonObject)JsonNode.Parse(message.ToArray())!;
                message.SetLength(0);
                if (json["id"] is JsonNode id && _pending.TryRemove((int)id, out TaskCompletionSource<JsonObject>? reply))
                {
                    reply.TrySetResult(json);
                }
                else if (json["method"] is not null)
                {
                    _events.Enqueue(json);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or JsonException)
        {
            foreach (TaskCompletionSource<JsonObject> pending in _pending.Values)
            {
                pending.TrySetException(ex);
            }
        }
    }

    [GeneratedRegex(@"DevTools listening on (ws://\S+)")]
    private static partial Regex DevToolsLine();
}
