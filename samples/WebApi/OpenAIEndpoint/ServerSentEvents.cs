using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.Features;

namespace WebApiSample.OpenAIEndpoint;

/// <summary>
/// Writes a stream the way OpenAI does: <c>text/event-stream</c>, one <c>data: {json}</c> frame per chunk, each flushed
/// at once, and <c>data: [DONE]</c> at the end.
/// </summary>
internal sealed class ServerSentEvents
{
    private static readonly byte[] Prefix = "data: "u8.ToArray();
    private static readonly byte[] Separator = "\n\n"u8.ToArray();
    private static readonly byte[] Done = "data: [DONE]\n\n"u8.ToArray();

    private readonly HttpResponse _response;
    private readonly CancellationToken _cancellationToken;
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);

    private ServerSentEvents(HttpResponse response, CancellationToken cancellationToken)
    {
        _response = response;
        _cancellationToken = cancellationToken;
    }

    /// <summary>Sends the status and headers: from here on, errors can only be reported as events.</summary>
    public static async Task<ServerSentEvents> StartAsync(HttpContext http)
    {
        HttpResponse response = http.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        // A reverse proxy in front (nginx and the like) would otherwise collect the frames and defeat streaming.
        response.Headers["X-Accel-Buffering"] = "no";
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await response.StartAsync(http.RequestAborted);
        return new ServerSentEvents(response, http.RequestAborted);
    }

    public async Task WriteAsync<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        _buffer.ResetWrittenCount();
        _buffer.Write(Prefix);
        using (var writer = new Utf8JsonWriter(_buffer))
        {
            JsonSerializer.Serialize(writer, value, typeInfo);
        }

        _buffer.Write(Separator);
        await _response.Body.WriteAsync(_buffer.WrittenMemory, _cancellationToken);
        await _response.Body.FlushAsync(_cancellationToken);
    }

    public async Task WriteDoneAsync()
    {
        await _response.Body.WriteAsync(Done, _cancellationToken);
        await _response.Body.FlushAsync(_cancellationToken);
    }
}
