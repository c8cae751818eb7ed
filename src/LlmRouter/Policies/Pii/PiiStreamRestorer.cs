using Microsoft.Extensions.AI;

namespace LlmRouter;

/// <summary>
/// Restores placeholders in a streamed response. A placeholder may arrive split across updates (<c>[EMA</c> then
/// <c>IL_1]</c>): a text that ends with what may be the start of one is held back and put in front of the next text.
/// </summary>
/// <remarks>Updates are modified in place; at most one extra update is created, to flush held-back text.</remarks>
internal sealed class PiiStreamRestorer
{
    private readonly PiiRequest _pii;
    private readonly int _mask;
    private string _held = string.Empty;
    private ChatResponseUpdate? _heldFrom;

    public PiiStreamRestorer(PiiRequest pii, int mask)
    {
        _pii = pii;
        _mask = mask;
    }

    /// <summary>Restores the update's texts in place.</summary>
    /// <returns>An update with held-back text to send before this one (which carries no text), or <see langword="null"/>.</returns>
    public ChatResponseUpdate? Process(ChatResponseUpdate update)
    {
        IList<AIContent> contents = update.Contents;
        bool hasText = false;
        for (int i = 0; i < contents.Count; i++)
        {
            if (contents[i] is not TextContent text)
            {
                _pii.RestoreContent(contents[i], _mask);
                continue;
            }

            hasText = true;
            string value = _held.Length == 0 ? text.Text : _held + text.Text;
            _held = string.Empty;
            int cut = _pii.PartialPlaceholderStart(value);
            if (cut >= 0)
            {
                _held = value[cut..];
                _heldFrom = update;
                value = value[..cut];
            }

            text.Text = _pii.Restore(value, _mask);
        }

        return hasText ? null : Flush();
    }

    /// <summary>Returns an update carrying the held-back text, or <see langword="null"/> when nothing is held.</summary>
    public ChatResponseUpdate? Flush()
    {
        if (_held.Length == 0)
        {
            return null;
        }

        ChatResponseUpdate from = _heldFrom!;
        var update = new ChatResponseUpdate(from.Role ?? ChatRole.Assistant, _pii.Restore(_held, _mask))
        {
            MessageId = from.MessageId,
            ResponseId = from.ResponseId,
            ConversationId = from.ConversationId,
            ModelId = from.ModelId,
            CreatedAt = from.CreatedAt,
        };
        _held = string.Empty;
        return update;
    }
}
