using AgentSafety.Analyzers.AgentModel;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AgentSafety.Tests.AgentModel;

/// <summary>
/// <see cref="ValueOrigins.CreationsOf"/> reads the compilation's <c>new</c> expressions from an index built once from
/// the files' text and skips target-typed ones whose syntax names another type: it must find what binding every
/// creation of the compilation finds.
/// </summary>
public class ValueOriginsTests
{
    private const string Types = """
        namespace Shop
        {
            public interface IClient { }
            public sealed class Client : IClient { }
            public sealed class Memory
            {
                public Memory(IClient client) { }
                public Memory(IClient client, string name) { }
            }
            public sealed class Message
            {
                public Message(string role) { }
                public Message(string role, string text) { }
            }
            public sealed class Box<T> { public Box(T value) { } }
        }
        """;

    private const string Uses = """
        using System.Collections.Generic;
        using System.Threading.Tasks;
        using Shop;

        namespace Shop.App
        {
            public sealed class Uses
            {
                private readonly Memory _field = new(new Client());
                private Memory Property { get; } = new(new Client(), "p");
                private Memory Arrow => new(new Client());
                private readonly Memory _explicit = new Memory(new Client());
                private readonly Memory _qualified = new Shop.Memory(new Client());
                private readonly Memory _global = new global::Shop.Memory(new Client(), "g");
                private readonly Box<Memory> _generic = new Box<Memory>(new(new Client()));
                private readonly Message _decoy = new("user");

                // new Memory(null) in a comment is no creation
                private readonly string _text = "new Memory(x)";

                public Memory Returned() { return new(new Client(), "r"); }
                public async Task<Memory> ReturnedAsync() { await Task.Yield(); return new(new Client()); }
                public Memory ArrowMethod() => new(new Client());
                public void Take(Memory memory) { }

                public void Shapes()
                {
                    Memory local = new(new Client());
                    Memory? nullable = new(new Client());
                    Memory assigned;
                    assigned = new(new Client());
                    Take(new(new Client()));
                    var list = new List<Memory> { new(new Client()), new(new Client(), "l") };
                    var array = new Memory[] { new(new Client()) };
                    List<Memory> expression = [new(new Client())];
                    System.Func<Memory> lambda = () => new(new Client());
                    var messages = new List<Message> { new("user"), new("user", "hi") };
                    Message[] more = [new("system")];
                }
            }
        }
        """;

    private const string Aliased = """
        using Mem = Shop.Memory;
        using Shop;

        namespace Shop.Other
        {
            public sealed class Aliased
            {
                private readonly Mem _aliased = new(new Client());
                private readonly Mem _aliasedExplicit = new Mem(new Client());
            }
        }
        """;

    [Fact]
    public void Creations_of_a_type_are_those_found_by_binding_every_creation()
    {
        var k = KnowledgeCompilation.Of(Types, Uses, Aliased);
        var memory = k.Type("Shop.Memory");
        var expected = AllCreationsBound(k.Compilation).Where(c => SymbolEqualityComparer.Default.Equals(c.Type, memory))
            .Select(c => c.Syntax.SyntaxTree.FilePath + ":" + c.Syntax.SpanStart).OrderBy(s => s).ToList();

        var found = k.Model.Origins.CreationsOf(memory).Select(c => c.Syntax.SyntaxTree.FilePath + ":" + c.Syntax.SpanStart).OrderBy(s => s).ToList();

        Assert.Equal(21, expected.Count);
        Assert.Equal(expected, found);
    }

    [Fact]
    public void Creations_of_a_generic_type_are_found_by_its_name()
    {
        var k = KnowledgeCompilation.Of(Types, Uses, Aliased);
        var box = k.Type("Shop.Box`1");
        Assert.Single(k.Model.Origins.CreationsOf(box));
        Assert.Equal(4, k.Model.Origins.CreationsOf(k.Type("Shop.Message")).Count());
    }

    [Fact]
    public void Service_registrations_are_bound_only_in_files_naming_the_service_asked_about()
    {
        const string registry = """
            namespace Shop
            {
                public static class Services
                {
                    public static void AddSingleton<T>(this System.Collections.Generic.List<object> services, T value) => services.Add(value!);
                }
                public interface IChatClient { }
            }
            """;
        const string chat = """
            namespace Shop.App
            {
                public static class ChatSetup
                {
                    public static void Add(System.Collections.Generic.List<object> services, IChatClient client)
                    {
                        services.AddSingleton(client);
                        services.AddSingleton<string>("named another type: not resolved as a chat client");
                    }
                }
            }
            """;
        const string other = """
            namespace Shop.App
            {
                public static class OtherSetup
                {
                    public static void Add(System.Collections.Generic.List<object> services) => services.AddSingleton("clock");
                }
            }
            """;
        var k = KnowledgeCompilation.Of(registry, chat, other);
        var names = new HashSet<string>(ValueOrigins.ServiceRegistrations);
        var found = k.Model.Origins.InvocationsNamed(names, ["chatclient"]);
        Assert.Equal("services.AddSingleton(client)", Assert.Single(found).Syntax.ToString());
        Assert.Equal(3, k.Model.Origins.InvocationsNamed(new HashSet<string>(ValueOrigins.ServiceRegistrations)).Count());
    }

    [Theory]
    [InlineData("var a = new Foo(1);", "Foo")]
    [InlineData("var a = new  A.B.Foo<int>(1);", "Foo")]
    [InlineData("var a = new global::A.Foo { X = 1 };", "Foo")]
    [InlineData("var a = new @Foo();", "Foo")]
    [InlineData("Foo a = new(1);", "(target-typed)")]
    [InlineData("var a = new\n    Foo(1);", "Foo")]
    [InlineData("var a = new[] { 1 }; var b = new { X = 1 };", "")]
    [InlineData("var a = new int[3];", "int")]
    [InlineData("var renew = anew(1); var @new = 1;", "")]
    public void New_expressions_are_read_from_text(string text, string expected)
    {
        var names = IdentifierSearch.NewExpressions(text).Select(n => n.Name ?? "(target-typed)");
        Assert.Equal(expected, string.Join(",", names));
    }

    private const string Helpers = """
        namespace Shop.Helpers
        {
            public sealed partial class Runner
            {
                public void Run()
                {
                    Ask(1);
                    this.Ask(2);
                    Nested.Go(this);
                    Handed(3);
                    System.Func<int, int> handedOut = Handed;
                    Open(4);
                    Ask("overload");
                }

                private int Ask(int n) => n;
                private int Ask(string s) => 0;
                private int Handed(int n) => n;
                public int Open(int n) => n;

                private sealed class Nested
                {
                    public static void Go(Runner runner) => runner.Ask(5);
                }
            }

            public sealed partial class Runner
            {
                public void More() => Ask(6);
            }
        }
        """;

    [Fact]
    public void Calls_of_a_private_method_are_read_from_its_type_unless_its_callers_are_not_all_known()
    {
        var k = KnowledgeCompilation.Of(Helpers);
        var runner = k.Type("Shop.Helpers.Runner");
        IMethodSymbol Method(string name, SpecialType parameter)
            => runner.GetMembers(name).OfType<IMethodSymbol>().Single(m => m.Parameters[0].Type.SpecialType == parameter);

        // Run twice, the nested type once, the other part of the partial type once; the string overload is another method.
        var calls = k.Model.Origins.CallsOfPrivate(Method("Ask", SpecialType.System_Int32))!;
        Assert.Equal(new[] { "1", "2", "5", "6" }, calls.Select(c => c.Arguments[0].Value.ConstantValue.Value!.ToString()!).Order().ToArray());
        Assert.Single(k.Model.Origins.CallsOfPrivate(Method("Ask", SpecialType.System_String))!);

        // Handed out as a delegate, or callable from elsewhere: not all callers are known.
        Assert.Null(k.Model.Origins.CallsOfPrivate(Method("Handed", SpecialType.System_Int32)));
        Assert.Null(k.Model.Origins.CallsOfPrivate(Method("Open", SpecialType.System_Int32)));
    }

    [Fact]
    public void Calls_of_a_method_no_other_assembly_can_call_are_read_from_the_compilation()
    {
        var k = KnowledgeCompilation.Of(
            """
            namespace Shop.Pipeline
            {
                internal static class StepExtensions
                {
                    public static string WithStep(this string pipeline, string step) => pipeline + step;
                    public static string Handed(this string pipeline) => pipeline;
                }

                public static class PublicSteps
                {
                    public static string WithStep(this string pipeline, int step) => pipeline;
                    internal static string Internal(string pipeline) => pipeline;
                }
            }
            """,
            """
            namespace Shop.App
            {
                using System;
                using Shop.Pipeline;
                class Program
                {
                    static void Main()
                    {
                        var a = "p".WithStep("a");
                        var b = StepExtensions.WithStep(a, "b");
                        Func<string> handed = "x".Handed;
                        var c = PublicSteps.Internal("c");
                    }
                }
            }
            """);
        IMethodSymbol Method(string type, string name) => k.Method("Shop.Pipeline." + type, name);

        // An internal type's extension, called in reduced and static form from another file.
        var calls = k.Model.Origins.CallsInCompilation(Method("StepExtensions", "WithStep"))!;
        Assert.Equal(new[] { "a", "b" }, calls.Select(c => c.Arguments[1].Value.ConstantValue.Value!.ToString()!).Order().ToArray());
        Assert.Single(k.Model.Origins.CallsInCompilation(Method("PublicSteps", "Internal"))!);

        // Handed out as a delegate, or public in a public type (other assemblies may call it): not all callers are known.
        Assert.Null(k.Model.Origins.CallsInCompilation(Method("StepExtensions", "Handed")));
        Assert.Null(k.Model.Origins.CallsInCompilation(Method("PublicSteps", "WithStep")));
    }

    private static IEnumerable<IObjectCreationOperation> AllCreationsBound(Compilation compilation)
    {
        foreach (var tree in compilation.SyntaxTrees)
        {
            var model = compilation.GetSemanticModel(tree);
            foreach (var node in tree.GetRoot().DescendantNodes().OfType<BaseObjectCreationExpressionSyntax>())
            {
                if (model.GetOperation(node) is IObjectCreationOperation creation)
                {
                    yield return creation;
                }
            }
        }
    }
}
