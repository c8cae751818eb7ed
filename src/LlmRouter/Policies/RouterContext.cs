namespace LlmRouter;

/// <summary>
/// The caller of the requests made in the current asynchronous flow: a virtual key, an end user and tags, set once —
/// typically per HTTP request, by middleware that authenticated the client — and read by every LlmRouter request made
/// within it.
/// </summary>
/// <remarks>
/// <para>
/// <code>
/// app.Use(async (http, next) =>
/// {
///     using (RouterContext.Begin(key: ClientKeyOf(http), user: http.User.Identity?.Name, tags: ["web"]))
///     {
///         await next(http);
///     }
/// });
/// </code>
/// </para>
/// <para>
/// The context flows with the <see cref="ExecutionContext"/> (<see cref="AsyncLocal{T}"/>) into every call made inside
/// the scope, including awaited and started tasks, and ends when the scope returned by <see cref="Begin"/> is
/// disposed. A nested <see cref="Begin"/> replaces the context until it is disposed. A request takes the context
/// current when it is made (when <c>GetResponseAsync</c> or <c>GetStreamingResponseAsync</c> is called).
/// </para>
/// <para>
/// Precedence: a key set on the request itself with <see cref="ChatOptionsExtensions.WithRouterKey"/> wins over the
/// ambient key; the ambient user and tags still apply. Both come from the application's own code, which LlmRouter
/// trusts; what it enforces is the policy of whichever key the application chose. The key is sensitive:
/// <see cref="ToString"/> does not show it.
/// </para>
/// </remarks>
public sealed class RouterContext
{
    private static readonly AsyncLocal<RouterContext?> Ambient = new();

    private RouterContext(string? key, string? user, string[] tags)
    {
        Key = key;
        User = user;
        Tags = tags;
    }

    /// <summary>Gets the context of the current asynchronous flow, or <see langword="null"/> when none was begun.</summary>
    public static RouterContext? Current => Ambient.Value;

    /// <summary>Gets the virtual key id, or <see langword="null"/> for requests without a key.</summary>
    public string? Key { get; }

    /// <summary>Gets the end user on whose behalf requests are made, or <see langword="null"/>.</summary>
    public string? User { get; }

    /// <summary>Gets the tags attached to the requests (for the audit log); empty when none.</summary>
    public IReadOnlyList<string> Tags { get; }

    /// <summary>Sets the caller of the requests made in the current asynchronous flow until the returned scope is disposed.</summary>
    /// <param name="key">The virtual key id (a name under <c>LlmRouter:Keys</c>), or <see langword="null"/> for none.</param>
    /// <param name="user">The end user, or <see langword="null"/>. Recorded in <see cref="RouteInfo.User"/> and the audit log.</param>
    /// <param name="tags">Tags recorded in <see cref="RouteInfo.Tags"/> and the audit log, or <see langword="null"/>.</param>
    /// <returns>The scope: dispose it to restore the previous context.</returns>
    /// <exception cref="ArgumentException"><paramref name="key"/> is empty, or a tag is <see langword="null"/> or empty.</exception>
    public static IDisposable Begin(string? key, string? user = null, IEnumerable<string>? tags = null)
    {
        if (key is not null && key.Length == 0)
        {
            throw new ArgumentException("A virtual key id must not be empty; pass null for none.", nameof(key));
        }

        string[] copied = tags is null ? [] : [.. tags];
        foreach (string tag in copied)
        {
            if (string.IsNullOrEmpty(tag))
            {
                throw new ArgumentException("Tags must not be null or empty.", nameof(tags));
            }
        }

        var context = new RouterContext(key, user, copied);
        var scope = new Scope(Ambient.Value, context);
        Ambient.Value = context;
        return scope;
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"RouterContext(key: {(Key is null ? "none" : "set")}, user: {User ?? "none"}, tags: {Tags.Count})";

    private sealed class Scope : IDisposable
    {
        private readonly RouterContext? _previous;
        private readonly RouterContext _context;
        private bool _disposed;

        public Scope(RouterContext? previous, RouterContext context)
        {
            _previous = previous;
            _context = context;
        }

        public void Dispose()
        {
            // Disposing out of order (or twice) must not clobber a context begun later.
            if (!_disposed && ReferenceEquals(Ambient.Value, _context))
            {
                Ambient.Value = _previous;
            }

            _disposed = true;
        }
    }
}
