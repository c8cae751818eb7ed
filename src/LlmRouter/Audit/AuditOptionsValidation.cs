namespace LlmRouter;

internal static class AuditOptionsValidation
{
    private static readonly TimeSpan MaxDelay = TimeSpan.FromHours(1);

    public static void Validate(LlmRouterOptions options, ConfigurationErrors errors)
    {
        AuditOptions audit = options.Audit;
        string path = errors.Path("Audit");
        if (audit is null)
        {
            errors.Add(path, "is empty");
            return;
        }

        AnnotationCheck.Validate(audit, path, errors);
        Within(audit.FlushInterval, TimeSpan.Zero, path + ":FlushInterval", errors);
        Within(audit.ShutdownTimeout, TimeSpan.Zero, path + ":ShutdownTimeout", errors);
        Within(audit.RetryInitialDelay, TimeSpan.FromMilliseconds(1), path + ":RetryInitialDelay", errors);
        Within(audit.RetryMaxDelay, TimeSpan.FromMilliseconds(1), path + ":RetryMaxDelay", errors);
        if (audit.RetryMaxDelay < audit.RetryInitialDelay)
        {
            errors.Add(path + ":RetryMaxDelay", "must not be shorter than RetryInitialDelay");
        }

        if (audit.Durability == AuditDurability.Synchronous && audit.QueueFull == AuditQueueFullBehavior.Drop)
        {
            errors.Add(path + ":QueueFull", "Drop cannot be combined with Synchronous durability, which never lets a call return without its record; use Wait or Reject");
        }
    }

    private static void Within(TimeSpan value, TimeSpan min, string path, ConfigurationErrors errors)
    {
        if (value < min || value > MaxDelay)
        {
            errors.Add(path, $"must be from {min} to {MaxDelay}, not {value}");
        }
    }
}
