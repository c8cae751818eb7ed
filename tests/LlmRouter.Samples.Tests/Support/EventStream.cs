using System.Text.Json;

namespace LlmRouter.Samples.Tests.Support;

/// <summary>Reads a server-sent-event stream the way OpenAI's SDKs do: <c>data:</c> lines, events separated by a blank line.</summary>
internal sealed class EventStream : IDisposable
{
    private readonly StreamReader _reader;

    private EventStream(StreamReader reader) => _reader = reader;

    public static async Task<EventStream> OpenAsync(HttpResponseMessage response) =>
        new(new StreamReader(await response.Content.ReadAsStreamAsync()));

    /// <summary>Reads the next event's data, or <see langword="null"/> at the end of the stream.</summary>
    public async Task<string?> NextAsync(CancellationToken cancellationToken = default)
    {
        string? data = null;
        while (await _reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                if (data is not null)
                {
                    return data;
                }

                continue;
            }

            Assert.StartsWith("data: ", line, StringComparison.Ordinal);
            data = data is null ? line[6..] : data + "\n" + line[6..];
        }

        return data;
    }

    /// <summary>Reads every remaining event's data.</summary>
    public async Task<List<string>> ReadAllAsync()
    {
        var events = new List<string>();
        while (await NextAsync() is { } data)
        {
            events.Add(data);
        }

        return events;
    }

    public static JsonElement Json(string data)
    {
        using JsonDocument document = JsonDocument.Parse(data);
        return document.RootElement.Clone();
    }

    public void Dispose() => _reader.Dispose();
}
