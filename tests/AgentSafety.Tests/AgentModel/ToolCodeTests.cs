namespace AgentSafety.Tests.AgentModel;

/// <summary>ToolMethods and ToolCode: which code is agent tool code.</summary>
public class ToolCodeTests
{
    [Fact]
    public void Tool_attributes_and_configured_attributes_mark_tools()
    {
        var k = KnowledgeCompilation.Of("""
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

    [Fact]
    public void A_lambda_tool_in_top_level_statements_is_named_Main_unless_registered_with_a_name()
    {
        var k = KnowledgeCompilation.OfProgram("""
            using Microsoft.Extensions.AI;
            var tools = new[]
            {
                AIFunctionFactory.Create((string city) => city),
                AIFunctionFactory.Create((string id) => id, "lookup_order"),
            };
            """);
        var program = k.Compilation.GetEntryPoint(default)!.ContainingType;
        var names = k.Model.ToolCode.ToolsOf(program, null).Select(t => t.Name).OrderBy(n => n, StringComparer.Ordinal);
        Assert.Equal(new[] { "Main", "lookup_order" }, names);
    }

    [Fact]
    public void LambdaToolHolding_finds_the_registered_lambda_around_code_and_nothing_elsewhere()
    {
        var k = KnowledgeCompilation.Of("""
            using System.IO;
            using System.Linq;
            using Microsoft.Extensions.AI;
            class Setup
            {
                AIFunction Build() => AIFunctionFactory.Create((string path) => new[] { path }.ToList().ForEach(p => File.Delete(p)), "delete_files");
                void Plain(string[] paths) => paths.ToList().ForEach(p => File.Delete(p));
            }
            """);
        var code = k.Model.ToolCode;
        var inTool = k.Calls("Setup", "Build").OfType<Microsoft.CodeAnalysis.Operations.IInvocationOperation>().Single(i => i.TargetMethod.Name == "Delete");
        var inPlain = k.Calls("Setup", "Plain").OfType<Microsoft.CodeAnalysis.Operations.IInvocationOperation>().Single(i => i.TargetMethod.Name == "Delete");

        var tool = code.LambdaToolHolding(inTool, k.Method("Setup", "Build"));
        Assert.NotNull(tool);
        Assert.Equal("delete_files", tool!.Name);
        Assert.True(tool.IsLambda);
        Assert.Null(code.LambdaToolHolding(inPlain, k.Method("Setup", "Plain")));
    }

    [Fact]
    public void Types_that_may_hold_tools_are_told_from_attributes_registrations_and_lambda_sites()
    {
        var k = KnowledgeCompilation.Of("""
            using System;
            using Microsoft.Extensions.AI;
            using ModelContextProtocol.Server;
            namespace MyApp
            {
                sealed class AgentToolAttribute : Attribute { }
                class Attributed { [McpServerTool] public string Tool() => ""; }
                class Configured { [AgentTool] public string Tool() => ""; }
                class Registered { public static string Lookup(string city) => city; }
                class Registrar { public AIFunction Make() => AIFunctionFactory.Create(Registered.Lookup); }
                class LambdaHolder { public AIFunction Make() => AIFunctionFactory.Create((string city) => city); }
                class OtherAttributes { [Obsolete] public string Old() => ""; }
                class Plain { public object Create(Func<string, string> f) => f; public object Use() => Create(s => s); }
            }
            """);
        var tools = k.Model.ToolMethods;
        bool May(string type, string? attributes = null) => tools.MayHoldTools(k.Type(type), attributes);

        Assert.True(May("MyApp.Attributed"));
        Assert.True(May("MyApp.Configured", "AgentTool"));
        Assert.False(May("MyApp.Configured"));
        Assert.True(May("MyApp.Registered"));
        Assert.True(May("MyApp.LambdaHolder"));
        Assert.False(May("MyApp.Registrar"));
        Assert.False(May("MyApp.OtherAttributes"));
        Assert.False(May("MyApp.Plain"));
    }

    [Fact]
    public void Method_group_registrations_are_found_by_the_names_they_spell_and_confirmed_by_binding()
    {
        var k = KnowledgeCompilation.Of("""
            using System;
            using System.Reflection;
            using Microsoft.Extensions.AI;
            using Microsoft.SemanticKernel;
            namespace MyApp
            {
                class Casted { public static string Find(string q) => q; }
                class Wrapped { public static string Wrap(string q) => q; }
                class Twice { public static string Again(string q) => q; }
                class SameName { public static string Lookup(string q) => q; }
                class Other { public static string Lookup(string q) => q; }
                class Factory
                {
                    // Spells "Invoke", a method of this type, but hands over a MethodInfo: no method group.
                    public KernelFunction FromInfo(MethodInfo Invoke, object target) => KernelFunctionFactory.CreateFromMethod(Invoke, target);
                    public string Invoke() => "";
                }
                class Setup
                {
                    public object[] Build() => new object[]
                    {
                        AIFunctionFactory.Create((Func<string, string>)Casted.Find),
                        AIFunctionFactory.Create(new Func<string, string>(Wrapped.Wrap)),
                        AIFunctionFactory.Create(Twice.Again, name: "one"),
                        AIFunctionFactory.Create(Twice.Again, name: "two"),
                        AIFunctionFactory.Create(Other.Lookup),
                    };
                }
                class LocalTools
                {
                    public AIFunction Make()
                    {
                        return AIFunctionFactory.Create(Local);
                        static string Local(string q) => q;
                    }
                }
            }
            """);
        var tools = k.Model.ToolMethods;
        Assert.True(tools.IsToolMethod(k.Method("MyApp.Casted", "Find"), null));
        Assert.True(tools.IsToolMethod(k.Method("MyApp.Wrapped", "Wrap"), null));
        Assert.Equal(2, tools.RegistrationsOf(k.Method("MyApp.Twice", "Again")).Length);
        Assert.True(tools.IsToolMethod(k.Method("MyApp.Other", "Lookup"), null));
        Assert.False(tools.IsToolMethod(k.Method("MyApp.SameName", "Lookup"), null));
        Assert.Empty(tools.RegistrationsOf(k.Method("MyApp.SameName", "Lookup")));
        Assert.False(tools.IsToolMethod(k.Method("MyApp.Factory", "Invoke"), null));

        // Confirmed by binding: only the type whose method is handed over holds tools.
        Assert.True(tools.MayHoldTools(k.Type("MyApp.Other"), null));
        Assert.False(tools.MayHoldTools(k.Type("MyApp.SameName"), null));
        Assert.False(tools.MayHoldTools(k.Type("MyApp.Factory"), null));
        Assert.True(tools.MayHoldTools(k.Type("MyApp.LocalTools"), null));
        Assert.True(tools.MayHoldTools(k.Type("MyApp.Twice"), null));

        // From syntax only (asked at a type's start, before the driver binds it): a superset, never a miss.
        Assert.True(tools.MayHoldToolsBySyntax(k.Type("MyApp.SameName"), null));
        Assert.True(tools.MayHoldToolsBySyntax(k.Type("MyApp.Other"), null));
        Assert.True(tools.MayHoldToolsBySyntax(k.Type("MyApp.LocalTools"), null));
        Assert.True(tools.MayHoldToolsBySyntax(k.Type("MyApp.Casted"), null));
        Assert.False(tools.MayHoldToolsBySyntax(k.Type("MyApp.Setup"), null));
    }

    [Fact]
    public void Facts_kept_with_a_file_are_judged_again_in_each_compilation_that_holds_it()
    {
        // The IDE analyzes each document in a compilation of its own; a file's syntax facts are kept with its tree.
        // An edit elsewhere (a global alias) changes what the same file's attribute names mean.
        var parse = new Microsoft.CodeAnalysis.CSharp.CSharpParseOptions(Microsoft.CodeAnalysis.CSharp.LanguageVersion.Latest);
        var tools = Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText("""
            namespace MyApp
            {
                class Tools { [Tool] public string Run() => ""; }
                class Registrar { public object Make() => Microsoft.Extensions.AI.AIFunctionFactory.Create(Helpers.Lookup); }
            }
            """, parse, path: "/src/Tools.cs");
        var before = Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText("""
            namespace MyApp
            {
                class ToolAttribute : System.Attribute { }
                static class Helpers { public static string Lookup(string q) => q; }
            }
            """, parse, path: "/src/Other.cs");
        var after = Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText("""
            global using Tool = ModelContextProtocol.Server.McpServerToolAttribute;
            namespace MyApp
            {
                static class Helpers { public static string Look(string q) => q; public static string Lookup(string q) => q; }
            }
            """, parse, path: "/src/Other.cs");
        var first = Microsoft.CodeAnalysis.CSharp.CSharpCompilation.Create("Knowledge", new[] { tools, before }, AgentSafety.Tests.Verification.TestReferences.Default,
            new Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions(Microsoft.CodeAnalysis.OutputKind.DynamicallyLinkedLibrary));
        var second = first.ReplaceSyntaxTree(before, after);
        Assert.Empty(second.GetDiagnostics().Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error));

        bool MayHold(Microsoft.CodeAnalysis.Compilation c, string type) => AgentSafety.Analyzers.AgentModel.AgentModel.For(c).ToolMethods.MayHoldTools(c.GetTypeByMetadataName(type)!, null);
        bool IsTool(Microsoft.CodeAnalysis.Compilation c, string type, string method)
            => AgentSafety.Analyzers.AgentModel.AgentModel.For(c).ToolMethods.IsToolMethod(c.GetTypeByMetadataName(type)!.GetMembers(method).OfType<Microsoft.CodeAnalysis.IMethodSymbol>().Single(), null);

        Assert.False(MayHold(first, "MyApp.Tools"));
        Assert.True(IsTool(first, "MyApp.Helpers", "Lookup"));
        Assert.True(MayHold(second, "MyApp.Tools"));
        Assert.True(IsTool(second, "MyApp.Tools", "Run"));
        Assert.True(IsTool(second, "MyApp.Helpers", "Lookup"));
        Assert.False(IsTool(second, "MyApp.Helpers", "Look"));
    }

    [Fact]
    public void Tool_attributes_are_found_through_aliases_full_names_and_suffixes_and_other_attributes_are_not_bound_as_tools()
    {
        var k = KnowledgeCompilation.Of("""
            using System;
            using System.ComponentModel;
            using ModelContextProtocol.Server;
            using Exposed = ModelContextProtocol.Server.McpServerToolAttribute;
            namespace MyApp.Tools
            {
                sealed class AgentToolAttribute : Attribute { }
                class Aliased { [Exposed] public string Tool() => ""; }
                class Suffixed { [McpServerToolAttribute] public string Tool() => ""; }
                class Qualified { [ModelContextProtocol.Server.McpServerTool(Name = "q")] public string Tool() => ""; }
                class Configured { [AgentToolAttribute] public string Tool() => ""; }
                class Described { [Description("not a tool"), Obsolete] public string Helper() => ""; }
            }
            """);
        var tools = k.Model.ToolMethods;
        bool May(string type, string? attributes = null) => tools.MayHoldTools(k.Type(type), attributes);
        bool IsTool(string type, string? attributes = null) => tools.IsToolMethod((Microsoft.CodeAnalysis.IMethodSymbol)k.Type(type).GetMembers().Single(m => m.Name is "Tool" or "Helper"), attributes);

        Assert.True(May("MyApp.Tools.Aliased") && IsTool("MyApp.Tools.Aliased"));
        Assert.True(May("MyApp.Tools.Suffixed") && IsTool("MyApp.Tools.Suffixed"));
        Assert.True(May("MyApp.Tools.Qualified") && IsTool("MyApp.Tools.Qualified"));
        Assert.True(May("MyApp.Tools.Configured", "MyApp.Tools.AgentToolAttribute") && IsTool("MyApp.Tools.Configured", "MyApp.Tools.AgentToolAttribute"));
        Assert.True(May("MyApp.Tools.Configured", "AgentTool") && IsTool("MyApp.Tools.Configured", "AgentTool"));
        Assert.False(May("MyApp.Tools.Configured") || IsTool("MyApp.Tools.Configured"));
        Assert.False(May("MyApp.Tools.Described", "AgentTool") || IsTool("MyApp.Tools.Described", "AgentTool"));
    }
}
