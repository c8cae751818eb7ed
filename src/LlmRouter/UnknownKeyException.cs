namespace LlmRouter;

/// <summary>
/// The request presented no virtual key, or one that is not configured. Reason code <c>unknown_key</c>.
/// </summary>
/// <remarks>
/// The message never quotes the key that was presented: a caller may have sent a secret by mistake. Requests without a
/// key are refused once any key is configured, unless <see cref="LlmRouterOptions.AnonymousKey"/> names one for them.
/// </remarks>
public sealed class UnknownKeyException : LlmRouterException
{
    internal UnknownKeyException(bool keyGiven, RouteInfo route)
        : base(
            ReasonCodes.UnknownKey,
            keyGiven
                ? "The virtual key presented with the request is not configured."
                : "The request presented no virtual key (ChatOptions.WithRouterKey or RouterContext.Begin) and no anonymous key is configured.",
            route)
    {
        KeyGiven = keyGiven;
    }

    /// <summary>Gets whether the request presented a key (which is not configured), rather than none.</summary>
    public bool KeyGiven { get; }

    /// <inheritdoc/>
    public override bool IsRejection => true;
}
