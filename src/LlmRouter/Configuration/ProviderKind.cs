namespace LlmRouter;

/// <summary>The kind of a configured provider: which client LlmRouter creates for it.</summary>
public enum ProviderKind
{
    /// <summary>The OpenAI API, through the official OpenAI SDK.</summary>
    OpenAI,

    /// <summary>Azure OpenAI through its OpenAI-compatible <c>/openai/v1</c> API; the model is the deployment name.</summary>
    AzureOpenAI,

    /// <summary>Any server speaking the OpenAI chat-completions API: Mistral, Groq, DeepSeek, vLLM, Ollama's <c>/v1</c>, LM Studio.</summary>
    OpenAICompatible,

    /// <summary>An in-process provider with configurable latency, output and failures, for development, tests and chaos testing.</summary>
    Simulated,

    /// <summary>A client registered in code with <see cref="LlmRouterBuilder.AddProvider(string, Func{IServiceProvider, Microsoft.Extensions.AI.IChatClient})"/>.</summary>
    Custom,
}
