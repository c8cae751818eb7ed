namespace LlmRouter.Tests.Diagnostics;

public class SecretRedactorTests
{
    [Fact]
    public void Configured_keys_and_key_shaped_text_are_masked()
    {
        var redactor = new SecretRedactor(["azure-0123456789abcdef", null, ""]);

        string? text = redactor.Redact("Incorrect API key provided: sk-proj-AbCdEf1234567890. Key azure-0123456789abcdef, header Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.x, api-key: 0123456789ab");

        Assert.DoesNotContain("sk-proj-AbCdEf", text, StringComparison.Ordinal);
        Assert.DoesNotContain("azure-0123456789abcdef", text, StringComparison.Ordinal);
        Assert.DoesNotContain("eyJhbGciOiJIUzI1NiJ9", text, StringComparison.Ordinal);
        Assert.DoesNotContain("0123456789ab", text, StringComparison.Ordinal);
        Assert.Contains("Incorrect API key provided", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Masked_keys_quoted_by_a_provider_are_masked_too()
    {
        string? text = SecretRedactor.Empty.Redact("Incorrect API key provided: sk-abc********************wxyz.");

        Assert.Equal("Incorrect API key provided: [REDACTED].", text);
    }

    [Fact]
    public void Long_messages_are_cut()
    {
        string? text = SecretRedactor.Empty.Redact(new string('x', 5000));

        Assert.Equal(SecretRedactor.MaxLength + 1, text!.Length);
    }
}
