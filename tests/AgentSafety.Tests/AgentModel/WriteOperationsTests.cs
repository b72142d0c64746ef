using Microsoft.CodeAnalysis;

namespace AgentSafety.Tests.AgentModel;

/// <summary>WriteOperations: which calls change state outside the process.</summary>
public class WriteOperationsTests
{
    private static string?[] Classify(KnowledgeCompilation k, string type, string method, string? verbs = null)
    {
        var caller = k.Type(type);
        return k.Calls(type, method)
            .Select(op => k.Model.WriteOperations.Classify(op, caller, verbs) is { } write ? $"{write.Kind}:{write.Display}" : null)
            .ToArray();
    }

    [Fact]
    public void Http_writes_are_the_writing_verbs_and_visible_send_methods()
    {
        var k = KnowledgeCompilation.Of("""
            using System.Net.Http;
            using System.Net.Http.Json;
            using System.Threading.Tasks;
            class C
            {
                async Task M(HttpClient http, HttpRequestMessage unknown)
                {
                    await http.PostAsync("u", null);
                    await http.GetAsync("u");
                    await http.PutAsJsonAsync("u", 1);
                    await http.GetFromJsonAsync<int>("u");
                    await http.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "u"));
                    var get = new HttpRequestMessage(HttpMethod.Get, "u");
                    await http.SendAsync(get);
                    await http.SendAsync(unknown);
                }
            }
            """);
        var kinds = Classify(k, "C", "M").Where(c => c is not null).ToArray();
        Assert.Equal(new[] { "HTTP:HttpClient.PostAsync", "HTTP:HttpClient.PutAsJsonAsync", "HTTP:HttpClient.SendAsync" }, kinds);
    }

    [Fact]
    public void File_database_mail_and_process_writes()
    {
        var k = KnowledgeCompilation.Of("""
            using System.Data.Common;
            using System.Diagnostics;
            using System.IO;
            using System.Net.Mail;
            using System.Threading.Tasks;
            class C
            {
                async Task M(DbCommand command, SmtpClient smtp, FileInfo info)
                {
                    File.WriteAllText("a", "b");
                    File.ReadAllText("a");
                    Directory.CreateDirectory("d");
                    Directory.GetFiles("d");
                    info.Delete();
                    using var writer = new StreamWriter("log.txt");
                    using var created = new FileStream("x", FileMode.Create);
                    using var opened = new FileStream("x", FileMode.Open);
                    await command.ExecuteNonQueryAsync();
                    await command.ExecuteScalarAsync();
                    await smtp.SendMailAsync(new MailMessage());
                    Process.Start("git", "push");
                }
            }
            """);
        var writes = Classify(k, "C", "M").Where(c => c is not null).ToArray();
        Assert.Equal(new[]
        {
            "file:File.WriteAllText", "file:Directory.CreateDirectory", "file:FileInfo.Delete", "file:new StreamWriter",
            "file:new FileStream", "database:DbCommand.ExecuteNonQueryAsync", "mail:SmtpClient.SendMailAsync", "process:Process.Start",
        }, writes);
    }

    [Fact]
    public void Entity_framework_staging_is_not_a_write_but_SaveChanges_is()
    {
        var k = KnowledgeCompilation.Of("""
            class Order { }
            class C
            {
                async System.Threading.Tasks.Task M(Microsoft.EntityFrameworkCore.DbContext db, Microsoft.EntityFrameworkCore.DbSet<Order> orders)
                {
                    orders.Add(new Order());
                    orders.Remove(new Order());
                    await db.SaveChangesAsync();
                }
            }
            """);
        Assert.Equal(new[] { "database:DbContext.SaveChangesAsync" }, Classify(k, "C", "M").Where(c => c is not null));
    }

    [Fact]
    public void Write_verbs_on_service_types_are_writes_but_not_in_memory_plumbing_or_model_clients()
    {
        var k = KnowledgeCompilation.Of("""
            using System.Collections.Generic;
            using System.Text;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;
            using Microsoft.Extensions.DependencyInjection;
            using Polly;
            namespace Shop
            {
                public interface IOrdersApi { Task CreateOrderAsync(string sku); Task<string> GetOrderAsync(string id); }
                public class ReportBuilder { public ReportBuilder AddSection(string s) => this; }
                public class AddressBook { public string Address() => ""; public void Settings() { } }
                public class Rocket { public void LaunchAsync() { } }
                public class OrderCache { public void Remove(string id) { } }
                class Tool
                {
                    async Task M(IOrdersApi api, List<string> items, StringBuilder text, IChatClient chat,
                        Microsoft.SemanticKernel.ChatCompletion.ChatHistory history, IServiceCollection services, AddressBook book, OrderCache cache)
                    {
                        await api.CreateOrderAsync("sku");
                        await api.GetOrderAsync("1");
                        items.Add("x");
                        text.Append("x");
                        new ReportBuilder().AddSection("s");
                        await chat.GetResponseAsync("hi");
                        history.AddUserMessage("hi");
                        services.AddSingleton<IOrdersApi>(api);
                        new ResiliencePipelineBuilder().AddTimeout(System.TimeSpan.FromSeconds(1));
                        book.Address();
                        book.Settings();
                        cache.Remove("1");
                        SaveLocally();
                    }
                    void SaveLocally() { }
                }
            }
            """);
        Assert.Equal(new[] { "external:IOrdersApi.CreateOrderAsync" }, Classify(k, "Shop.Tool", "M").Where(c => c is not null));
    }

    [Fact]
    public void Kiota_request_builders_send_their_writes_and_other_builders_stay_in_memory()
    {
        // A Kiota-generated client (Microsoft Graph's shape, generated into the application's namespace): indexers give
        // item request builders whose PostAsync/PatchAsync/DeleteAsync send the request.
        var k = KnowledgeCompilation.Of("""
            using System.Threading;
            using System.Threading.Tasks;
            namespace Contoso.Reservations.Client
            {
                public class Appointment { public string? Id { get; set; } }
                public class AppointmentItemRequestBuilder
                {
                    public Task<Appointment?> GetAsync(CancellationToken cancellationToken = default) => Task.FromResult<Appointment?>(null);
                    public Task<Appointment?> PatchAsync(Appointment body, CancellationToken cancellationToken = default) => Task.FromResult<Appointment?>(body);
                    public Task DeleteAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;
                }
                public class AppointmentsRequestBuilder
                {
                    public AppointmentItemRequestBuilder this[string id] => new();
                    public Task<Appointment?> PostAsync(Appointment body, CancellationToken cancellationToken = default) => Task.FromResult<Appointment?>(body);
                }
                public class ReservationsClient { public AppointmentsRequestBuilder Appointments => new(); }
                public class SummaryBuilder { public Task PostAsync(string line) => Task.CompletedTask; }
                class Tool
                {
                    async Task M(ReservationsClient client, SummaryBuilder summary)
                    {
                        await client.Appointments.PostAsync(new Appointment());
                        await client.Appointments["a1"].GetAsync();
                        await client.Appointments["a1"].PatchAsync(new Appointment());
                        await client.Appointments["a1"].DeleteAsync();
                        await summary.PostAsync("done");
                    }
                }
            }
            """);
        Assert.Equal(
            new[] { "HTTP:AppointmentsRequestBuilder.PostAsync", "HTTP:AppointmentItemRequestBuilder.PatchAsync", "HTTP:AppointmentItemRequestBuilder.DeleteAsync" },
            Classify(k, "Contoso.Reservations.Client.Tool", "M").Where(c => c is not null));
    }

    [Fact]
    public void Configured_write_verbs_replace_the_defaults()
    {
        var k = KnowledgeCompilation.Of("""
            namespace Space
            {
                public class Rocket { public void LaunchAsync() { } public void Delete() { } }
                class Tool { void M(Rocket r) { r.LaunchAsync(); r.Delete(); } }
            }
            """);
        Assert.Equal(new[] { "external:Rocket.Delete" }, Classify(k, "Space.Tool", "M").Where(c => c is not null));
        Assert.Equal(new[] { "external:Rocket.LaunchAsync" }, Classify(k, "Space.Tool", "M", "Launch").Where(c => c is not null));
    }

    [Theory]
    [InlineData("SendEmail", true)]
    [InlineData("SaveAsync", true)]
    [InlineData("Delete", true)]
    [InlineData("Address", false)]
    [InlineData("Settings", false)]
    [InlineData("Sender", false)]
    [InlineData("Updated", false)]
    public void A_verb_must_end_the_name_or_start_a_word(string name, bool expected)
        => Assert.Equal(expected, Analyzers.AgentModel.WriteOperations.StartsWithVerb(name,
            Analyzers.AgentModel.AgentSafetyOptions.SplitList(Analyzers.AgentModel.WriteOperations.DefaultWriteVerbs)));
}
