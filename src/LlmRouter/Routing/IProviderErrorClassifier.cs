namespace LlmRouter;

/// <summary>
/// Classifies the exceptions of a provider client, so LlmRouter knows whether to fall back and where.
/// </summary>
/// <remarks>
/// LlmRouter classifies the OpenAI SDK's errors, <see cref="HttpRequestException"/>, timeouts and
/// <see cref="SimulatedProviderException"/> itself. Register an implementation in the service collection for another
/// SDK's exceptions (for example Anthropic's); registered classifiers are asked first, in registration order.
/// </remarks>
public interface IProviderErrorClassifier
{
    /// <summary>Classifies an exception thrown by a provider client.</summary>
    /// <param name="exception">The exception.</param>
    /// <param name="failure">The classification, when this classifier recognizes the exception.</param>
    /// <returns><see langword="true"/> when the exception was recognized.</returns>
    bool TryClassify(Exception exception, out ProviderFailure failure);
}
