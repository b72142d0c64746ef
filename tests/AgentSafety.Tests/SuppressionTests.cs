using AgentSafety.Analyzers.Rules;
using AgentSafety.Tests.Verification;

namespace AgentSafety.Tests;

/// <summary>
/// The suppression habits README recommends, on AGS003: each silences exactly what it covers and nothing else (the
/// verifier analyzes like the compiler does, so suppressed diagnostics are filtered out of its results).
/// <c>AgentSafetyMode=None</c> and a project-wide <c>= none</c> are checked through the packed package.
/// </summary>
public class SuppressionTests
{
    private static RuleTest Test(string source) => RuleTest.For<SwallowedExceptionAnalyzer>().WithSource(source);

    [Fact]
    public Task Pragma_silences_the_catch_it_surrounds_until_restored() => Test("""
        class Agent
        {
            void Notify()
            {
                try { Send(); }
        #pragma warning disable AGS003 // Best effort: a missed notification is retried by the scheduler
                catch { }
        #pragma warning restore AGS003
                try { Send(); }
                [|catch|] { }
            }
            void Send() { }
        }
        """).RunAsync();

    [Fact]
    public Task Pragma_for_other_ids_silences_nothing() => Test("""
        class Agent
        {
            void Notify()
            {
        #pragma warning disable CS0168, AGS001, AGS0030
                try { Send(); }
                [|catch|] { }
        #pragma warning restore CS0168, AGS001, AGS0030
            }
            void Send() { }
        }
        """).RunAsync();

    // The compiler matches the id only; the category is for the reader. Both spellings seen in the wild work.
    [Theory]
    [InlineData("Reliability", "AGS003:Exception is swallowed")]
    [InlineData("AgentSafety", "AGS003")]
    public Task SuppressMessage_on_a_member_silences_that_member_only(string category, string checkId) => Test($$"""
        using System;
        using System.Diagnostics.CodeAnalysis;
        class Agent
        {
            [SuppressMessage("{{category}}", "{{checkId}}", Justification = "The cache is optional")]
            string? Cached()
            {
                try { return Fetch(); }
                catch (Exception) { return null; }
            }

            string? Live()
            {
                try { return Fetch(); }
                [|catch (Exception)|] { return null; }
            }

            string Fetch() => "";
        }
        """).RunAsync();

    [Fact]
    public Task SuppressMessage_on_a_type_silences_its_members() => Test("""
        using System;
        using System.Diagnostics.CodeAnalysis;

        [SuppressMessage("Reliability", "AGS003", Justification = "Legacy adapter, replaced in v2")]
        class LegacyAgent
        {
            string? Ask() { try { return Fetch(); } catch (Exception) { return null; } }
            void Notify() { try { Fetch(); } catch { } }
            string Fetch() => "";
        }

        class Agent
        {
            void Notify() { try { Fetch(); } [|catch|] { } }
            string Fetch() => "";
        }
        """).RunAsync();

    // What the IDE writes to GlobalSuppressions.cs: the code itself stays untouched.
    [Fact]
    public Task SuppressMessage_in_global_suppressions_silences_its_target_only() => Test("""
        using System;
        using System.Diagnostics.CodeAnalysis;

        [assembly: SuppressMessage("Reliability", "AGS003", Justification = "The cache is optional", Scope = "member", Target = "~M:Agent.Cached~System.String")]

        class Agent
        {
            string? Cached()
            {
                try { return Fetch(); }
                catch (Exception) { return null; }
            }

            string? Live()
            {
                try { return Fetch(); }
                [|catch (Exception)|] { return null; }
            }

            string Fetch() => "";
        }
        """).RunAsync();

    [Fact]
    public Task Editorconfig_none_silences_the_files_its_section_covers() => RuleTest.For<SwallowedExceptionAnalyzer>()
        .WithSource("""
            class Migration
            {
                void Run() { try { Step(); } catch { } }
                void Step() { }
            }
            """, "Legacy/Migration.cs")
        .WithSource("""
            class Agent
            {
                void Run() { try { Step(); } [|catch|] { } }
                void Step() { }
            }
            """, "Agent.cs")
        .WithEditorConfig("[Legacy/**.cs]\ndotnet_diagnostic.AGS003.severity = none")
        .RunAsync();
}
