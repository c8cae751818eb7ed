using System.Text;
using Microsoft.Extensions.AI;

namespace LlmRouter;

/// <summary>
/// Collects the text of one request and its response for <see cref="AuditContentMode.Redacted"/> and
/// <see cref="AuditContentMode.Full"/>: up to a bound while a stream runs, and cut at
/// <see cref="AuditOptions.ContentMaxChars"/> after redaction.
/// </summary>
/// <remarks>
/// Text is kept as messages' roles and texts, one message per line group (<c>role: text</c>); non-text contents are
/// named in brackets (<c>[image/png, 1234 bytes]</c>). Not thread-safe: one request's flow uses it.
/// </remarks>
internal sealed class AuditContent
{
    // Redaction can shorten text ("sk-..." to "[REDACTED]" is usually shorter, never much longer), so collect a little more than is kept.
    private const int Slack = 1024;

    private readonly AuditContentMode _mode;
    private readonly int _maxChars;
    private StringBuilder? _response;

    public AuditContent(AuditContentMode mode, int maxChars)
    {
        _mode = mode;
        _maxChars = maxChars;
    }

    public AuditContentMode Mode => _mode;

    public string? Request { get; private set; }

    public string? Response { get; private set; }

    public bool Truncated { get; private set; }

    private int Collect => _maxChars > int.MaxValue - Slack ? int.MaxValue : _maxChars + Slack;

    /// <summary>Appends a streamed update's text.</summary>
    public void Append(ChatResponseUpdate update)
    {
        _response ??= new StringBuilder();
        IList<AIContent> contents = update.Contents;
        for (int i = 0; i < contents.Count; i++)
        {
            if (_response.Length >= Collect)
            {
                Truncated = true;
                return;
            }

            if (contents[i] is TextContent text)
            {
                _response.Append(text.Text);
            }
        }
    }

    /// <summary>Records the request's messages, the response (or the streamed text collected), redacted and cut.</summary>
    public void Complete(IEnumerable<ChatMessage> messages, ChatResponse? response, RouteInfo route, IAuditContentRedactor redactor, SecretRedactor secrets)
    {
        string request = Describe(messages);
        string? answer = response is not null ? Describe(response.Messages) : _response is null ? null : "assistant: " + _response.ToString();
        Request = Finish(request, route, redactor, secrets);
        Response = answer is null ? null : Finish(answer, route, redactor, secrets);
    }

    private string Finish(string text, RouteInfo route, IAuditContentRedactor redactor, SecretRedactor secrets)
    {
        text = _mode == AuditContentMode.Redacted ? redactor.Redact(text, route, secrets) : secrets.MaskConfigured(text);
        if (text.Length > _maxChars)
        {
            Truncated = true;
            int cut = _maxChars;
            if (char.IsHighSurrogate(text[cut - 1]))
            {
                cut--;
            }

            text = text[..cut];
        }

        return text;
    }

    private string Describe(IEnumerable<ChatMessage> messages)
    {
        var text = new StringBuilder();
        foreach (ChatMessage message in messages)
        {
            if (text.Length >= Collect)
            {
                Truncated = true;
                break;
            }

            if (text.Length > 0)
            {
                text.Append('\n');
            }

            text.Append(message.Role.Value).Append(": ");
            foreach (AIContent content in message.Contents)
            {
                switch (content)
                {
                    case TextContent t:
                        text.Append(t.Text);
                        break;
                    case DataContent data:
                        text.Append('[').Append(data.MediaType).Append(", ").Append(data.Data.Length).Append(" bytes]");
                        break;
                    case UriContent uri:
                        text.Append('[').Append(uri.MediaType).Append(' ').Append(uri.Uri).Append(']');
                        break;
                    case FunctionCallContent call:
                        text.Append("[call ").Append(call.Name).Append(']');
                        break;
                    case FunctionResultContent:
                        text.Append("[function result]");
                        break;
                    case TextReasoningContent:
                    case UsageContent:
                        break;
                    default:
                        text.Append('[').Append(content.GetType().Name).Append(']');
                        break;
                }
            }
        }

        return text.ToString();
    }
}
