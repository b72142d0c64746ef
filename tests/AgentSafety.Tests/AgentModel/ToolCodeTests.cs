namespace AgentSafety.Tests.AgentModel;

/// <summary>ToolMethods and ToolCode: which code is agent tool code.</summary>
public class ToolCodeTests
{
    private const string SemanticKernelStub = """
        namespace Microsoft.SemanticKernel
        {
            [System.AttributeUsage(System.AttributeTargets.Method)]
            public sealed class KernelFunctionAttribute : System.Attribute
            {
                public KernelFunctionAttribute() { }
                public KernelFunctionAttribute(string name) { }
            }
        }
        """;

    [Fact]
    public void Tool_attributes_and_configured_attributes_mark_tools()
    {
        var k = KnowledgeCompilation.Of(SemanticKernelStub, """
            using ModelContextProtocol.Server;
            using Microsoft.SemanticKernel;
            namespace MyApp
            {
                sealed class AgentToolAttribute : System.Attribute { }
                [McpServerToolType]
                class Tools
                {
                    [McpServerTool] public string Mcp() => "";
                    [KernelFunction("sk")] public string Kernel() => "";
                    [AgentTool] public string Custom() => "";
                    public string Plain() => "";
                }
            }
            """);
        var tools = k.Model.ToolMethods;
        Assert.True(tools.IsToolMethod(k.Method("MyApp.Tools", "Mcp"), null));
        Assert.True(tools.IsToolMethod(k.Method("MyApp.Tools", "Kernel"), null));
        Assert.False(tools.IsToolMethod(k.Method("MyApp.Tools", "Custom"), null));
        Assert.True(tools.IsToolMethod(k.Method("MyApp.Tools", "Custom"), "AgentTool"));
        Assert.True(tools.IsToolMethod(k.Method("MyApp.Tools", "Custom"), "MyApp.AgentToolAttribute"));
        Assert.False(tools.IsToolMethod(k.Method("MyApp.Tools", "Plain"), "AgentTool"));
    }

    [Fact]
    public void Method_groups_registered_anywhere_are_tools_and_lambdas_are_lambda_tools()
    {
        var k = KnowledgeCompilation.Of("""
            using Microsoft.Extensions.AI;
            namespace MyApp
            {
                class WeatherTools
                {
                    public static string GetWeather(string city) => city;
                    public static string NotATool(string city) => city;
                }
                class Setup
                {
                    public AIFunction[] Build() => new[]
                    {
                        AIFunctionFactory.Create(WeatherTools.GetWeather),
                        AIFunctionFactory.Create((string id) => Lookup(id), name: "lookup_order"),
                    };
                    string Lookup(string id) => Normalize(id);
                    string Normalize(string id) => id.Trim();
                }
            }
            """);
        Assert.True(k.Model.ToolMethods.IsToolMethod(k.Method("MyApp.WeatherTools", "GetWeather"), null));
        Assert.False(k.Model.ToolMethods.IsToolMethod(k.Method("MyApp.WeatherTools", "NotATool"), null));

        var setupTools = k.Model.ToolCode.ToolsOf(k.Type("MyApp.Setup"), null);
        var lambda = Assert.Single(setupTools);
        Assert.True(lambda.IsLambda);
        Assert.Equal("lookup_order", lambda.Name);
        Assert.Contains(k.Model.ToolCode.ToolsReaching(k.Method("MyApp.Setup", "Normalize"), null), t => t.Name == "lookup_order");
        Assert.Empty(k.Model.ToolCode.ToolsReaching(k.Method("MyApp.Setup", "Build"), null));
    }

    [Fact]
    public void Same_type_helpers_are_tool_code_three_levels_deep_and_no_further()
    {
        var k = KnowledgeCompilation.Of("""
            using ModelContextProtocol.Server;
            [McpServerToolType]
            class Tools
            {
                [McpServerTool] public void A() => One();
                [McpServerTool] public void B() { One(); Other.Helper(); }
                void One() => Two();
                void Two() => Three();
                void Three() => Four();
                void Four() { }
                void Unused() { }
            }
            static class Other { public static void Helper() { } }
            """);
        var code = k.Model.ToolCode;
        Assert.Equal(new[] { "A" }, code.ToolsReaching(k.Method("Tools", "A"), null).Select(t => t.Name));
        Assert.Equal(new[] { "A", "B" }, code.ToolsReaching(k.Method("Tools", "One"), null).Select(t => t.Name).OrderBy(n => n));
        Assert.Equal(2, code.ToolsReaching(k.Method("Tools", "Three"), null).Length);
        Assert.Empty(code.ToolsReaching(k.Method("Tools", "Four"), null));
        Assert.Empty(code.ToolsReaching(k.Method("Tools", "Unused"), null));
        Assert.Empty(code.ToolsReaching(k.Method("Other", "Helper"), null));
    }
}
