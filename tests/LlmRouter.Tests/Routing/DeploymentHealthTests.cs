using LlmRouter.Tests.Support;

namespace LlmRouter.Tests.Routing;

public class DeploymentHealthTests
{
    private static readonly RoutingOptions Routing = new() { AllowedFailures = 3, FailureWindow = TimeSpan.FromMinutes(1), Cooldown = TimeSpan.FromSeconds(30) };

    [Fact]
    public void A_deployment_cools_down_after_the_allowed_failures_within_the_window()
    {
        var time = Routers.Clock();
        var health = new DeploymentHealth("p/m", time);

        Assert.False(health.RecordFailure(ErrorClass.ServerError, null, Routing));
        Assert.False(health.RecordFailure(ErrorClass.Timeout, null, Routing));
        Assert.True(health.RecordFailure(ErrorClass.ServerError, null, Routing));

        Assert.True(health.IsCoolingDown);
        Assert.Equal(TimeSpan.FromSeconds(30), health.CooldownRemaining);
        time.Advance(TimeSpan.FromSeconds(30));
        Assert.False(health.IsCoolingDown);
    }

    [Fact]
    public void Failures_outside_the_window_do_not_add_up()
    {
        var time = Routers.Clock();
        var health = new DeploymentHealth("p/m", time);

        health.RecordFailure(ErrorClass.ServerError, null, Routing);
        health.RecordFailure(ErrorClass.ServerError, null, Routing);
        time.Advance(TimeSpan.FromMinutes(2));
        health.RecordFailure(ErrorClass.ServerError, null, Routing);

        Assert.False(health.IsCoolingDown);
        Assert.Equal(1, health.RecentFailures);
    }

    [Fact]
    public void A_rate_limit_cools_down_at_once_for_its_retry_after()
    {
        var time = Routers.Clock();
        var health = new DeploymentHealth("p/m", time);

        Assert.True(health.RecordFailure(ErrorClass.RateLimited, TimeSpan.FromSeconds(90), Routing));

        time.Advance(TimeSpan.FromSeconds(89));
        Assert.True(health.IsCoolingDown);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(health.IsCoolingDown);
    }

    [Fact]
    public void A_rate_limit_without_retry_after_cools_down_for_the_configured_cooldown()
    {
        var time = Routers.Clock();
        var health = new DeploymentHealth("p/m", time);

        health.RecordFailure(ErrorClass.RateLimited, null, Routing);

        Assert.Equal(Routing.Cooldown, health.CooldownRemaining);
    }

    [Fact]
    public void A_shorter_retry_after_never_shortens_a_running_cooldown()
    {
        var time = Routers.Clock();
        var health = new DeploymentHealth("p/m", time);

        health.RecordFailure(ErrorClass.RateLimited, TimeSpan.FromMinutes(2), Routing);
        Assert.False(health.RecordFailure(ErrorClass.RateLimited, TimeSpan.FromSeconds(1), Routing));

        Assert.Equal(TimeSpan.FromMinutes(2), health.CooldownRemaining);
    }

    [Fact]
    public void A_server_error_with_a_retry_after_cools_down_at_once_for_that_long()
    {
        var time = Routers.Clock();
        var health = new DeploymentHealth("p/m", time);

        Assert.True(health.RecordFailure(ErrorClass.ServerError, TimeSpan.FromSeconds(12), Routing));

        Assert.Equal(TimeSpan.FromSeconds(12), health.CooldownRemaining);
    }

    [Theory]
    [InlineData(ErrorClass.BadRequest)]
    [InlineData(ErrorClass.ContextWindowExceeded)]
    [InlineData(ErrorClass.ContentFiltered)]
    public void Failures_caused_by_the_request_do_not_count_against_the_deployment(ErrorClass errorClass)
    {
        var health = new DeploymentHealth("p/m", Routers.Clock());

        for (int i = 0; i < 10; i++)
        {
            health.RecordFailure(errorClass, null, Routing);
        }

        Assert.False(health.IsCoolingDown);
        Assert.Equal(0, health.RecentFailures);
    }

    [Fact]
    public void Latency_is_a_moving_average_kept_apart_for_streams()
    {
        var health = new DeploymentHealth("p/m", Routers.Clock());

        health.RecordLatency(TimeSpan.FromMilliseconds(100), streaming: false);
        health.RecordLatency(TimeSpan.FromMilliseconds(200), streaming: false);
        health.RecordLatency(TimeSpan.FromMilliseconds(40), streaming: true);

        Assert.Equal(TimeSpan.FromMilliseconds(120), health.AverageLatency);
        Assert.Equal(TimeSpan.FromMilliseconds(40), health.AverageTimeToFirstToken);
    }
}
