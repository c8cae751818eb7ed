namespace LlmRouter;

/// <summary>The requested model alias is not configured. Reason code <c>unknown_model</c>.</summary>
/// <remarks>Names are matched exactly; a name differing in case, whitespace or look-alike characters is another, unknown name.</remarks>
public sealed class UnknownModelException : LlmRouterException
{
    internal UnknownModelException(string? model, RouteInfo? route)
        : base(ReasonCodes.UnknownModel, model is null ? "No model was requested: set ChatOptions.ModelId to a configured alias." : $"Unknown model '{ModelNames.Printable(model)}'.", route)
    {
        Model = model;
    }

    /// <summary>Gets the requested name, exactly as given.</summary>
    public string? Model { get; }

    /// <inheritdoc/>
    public override bool IsRejection => true;
}
