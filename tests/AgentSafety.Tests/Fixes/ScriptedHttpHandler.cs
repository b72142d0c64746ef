using System.Net;
using System.Net.Http.Headers;

namespace AgentSafety.Tests.Fixes;

/// <summary>
/// An in-process HTTP server stand-in: answers each request with the next scripted status (the last one repeats),
/// optionally with a <c>Retry-After</c> delay, and counts the requests it saw. Nothing leaves the process.
/// </summary>
internal sealed class ScriptedHttpHandler : HttpMessageHandler
{
    private readonly Queue<(HttpStatusCode Status, TimeSpan? RetryAfter)> _script;
    private (HttpStatusCode Status, TimeSpan? RetryAfter) _last;
    private int _requests;

    public ScriptedHttpHandler(params (HttpStatusCode Status, TimeSpan? RetryAfter)[] script)
    {
        _script = new Queue<(HttpStatusCode, TimeSpan?)>(script);
        _last = script[^1];
    }

    public ScriptedHttpHandler(params HttpStatusCode[] statuses)
        : this(statuses.Select(s => (s, (TimeSpan?)null)).ToArray())
    {
    }

    public int Requests => _requests;

    public List<HttpMethod> Methods { get; } = new();

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _requests);
        lock (Methods)
        {
            Methods.Add(request.Method);
        }

        var (status, retryAfter) = _script.Count > 0 ? _script.Dequeue() : _last;
        var response = new HttpResponseMessage(status) { Content = new StringContent("\"answer\""), RequestMessage = request };
        if (retryAfter is { } delay)
        {
            response.Headers.RetryAfter = new RetryConditionHeaderValue(delay);
        }

        return Task.FromResult(response);
    }

    public HttpClient Client() => new(this, disposeHandler: false) { BaseAddress = new Uri("http://127.0.0.1/") };
}
