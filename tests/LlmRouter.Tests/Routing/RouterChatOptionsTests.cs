using System.Collections;
using System.Reflection;
using Microsoft.Extensions.AI;

namespace LlmRouter.Tests.Routing;

public class RouterChatOptionsTests
{
    private static readonly RouteInfo Route = new(TimeProvider.System, streaming: false, requestedModel: "chat");

    [Fact]
    public void The_requests_copy_holds_every_option_the_caller_set_as_Clone_copies_it()
    {
        var caller = new ChatOptions();
        foreach (PropertyInfo property in Settable())
        {
            property.SetValue(caller, SampleFor(property));
        }

        var copy = new RouterChatOptions(caller, Route);
        ChatOptions clone = caller.Clone();

        foreach (PropertyInfo property in Settable())
        {
            object? expected = property.GetValue(clone);
            object? actual = property.GetValue(copy);
            switch (expected)
            {
                case AdditionalPropertiesDictionary:
                    Assert.Equal(property.GetValue(caller), actual);
                    break;
                case IEnumerable list and not string:
                    Assert.Equal(list, (IEnumerable)actual!);
                    Assert.Equal(ReferenceEquals(expected, property.GetValue(caller)), ReferenceEquals(actual, property.GetValue(caller)));
                    break;
                case ReasoningOptions reasoning:
                    Assert.NotSame(caller.Reasoning, actual);
                    foreach (PropertyInfo part in typeof(ReasoningOptions).GetProperties())
                    {
                        Assert.Equal(part.GetValue(reasoning), part.GetValue(actual));
                    }

                    break;
                default:
                    Assert.Equal(expected, actual);
                    break;
            }
        }
    }

    [Fact]
    public void The_requests_copy_leaves_out_the_key_and_the_route_callback_and_keeps_the_callers_other_properties()
    {
        ChatOptions caller = new ChatOptions { AdditionalProperties = new() { ["custom"] = 1 } }.WithRouterKey("client").OnRouteStarted(_ => { });

        var copy = new RouterChatOptions(caller, Route);

        Assert.Equal(new AdditionalPropertiesDictionary { ["custom"] = 1 }, copy.AdditionalProperties);
        Assert.NotSame(caller.AdditionalProperties, copy.AdditionalProperties);
        Assert.Equal(3, caller.AdditionalProperties!.Count);
    }

    [Fact]
    public void A_request_whose_only_additional_property_is_its_key_copies_no_dictionary()
    {
        ChatOptions caller = new ChatOptions { ModelId = "chat" }.WithRouterKey("client");

        var copy = new RouterChatOptions(caller, Route);

        Assert.Null(copy.AdditionalProperties);
        Assert.Equal("client", ChatOptionsExtensions.RouterKeyOf(caller));
    }

    private static IEnumerable<PropertyInfo> Settable() =>
        typeof(ChatOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite && p.SetMethod!.IsPublic);

    /// <summary>A value unlike the default for each property; a property of a type not known here fails the spec, so that RouterChatOptions learns to copy it.</summary>
    private static object SampleFor(PropertyInfo property) => property.PropertyType switch
    {
        Type t when t == typeof(string) => "value of " + property.Name,
        Type t when t == typeof(float?) => 0.25f,
        Type t when t == typeof(int?) => 7,
        Type t when t == typeof(long?) => 7L,
        Type t when t == typeof(bool?) => true,
        Type t when t == typeof(ReasoningOptions) => new ReasoningOptions { Effort = ReasoningEffort.High, Output = ReasoningOutput.Full },
        Type t when t == typeof(ChatResponseFormat) => ChatResponseFormat.Json,
        Type t when t == typeof(ChatToolMode) => ChatToolMode.RequireAny,
        Type t when t == typeof(IList<string>) => new List<string> { "stop" },
        Type t when t == typeof(IList<AITool>) => new List<AITool> { AIFunctionFactory.Create(() => 1, "one") },
        Type t when t == typeof(ResponseContinuationToken) => ResponseContinuationToken.FromBytes(new byte[] { 1, 2, 3 }),
        Type t when t == typeof(Func<IChatClient, object?>) => (Func<IChatClient, object?>)(_ => null),
        Type t when t == typeof(AdditionalPropertiesDictionary) => new AdditionalPropertiesDictionary { ["custom"] = 1 },
        _ => throw new InvalidOperationException(
            $"ChatOptions.{property.Name} ({property.PropertyType}) is new: copy it in RouterChatOptions, then give it a sample value here."),
    };
}
