namespace AgentSafety.Benchmarks.Corpus;

/// <summary>
/// Plain business code: records, enums, calculations, validation, parsing, caches, extension methods. Most of a
/// real agent project looks like this, and the rules must cost next to nothing on it.
/// </summary>
internal static class BusinessCodeUnits
{
    private static readonly Action<CorpusWriter>[] Units = { Records, Calculator, Validator, Parser, Cache, Extensions, Workflow };

    public static void Any(CorpusWriter file) => Units[file.Random.Next(Units.Length)](file);

    /// <summary>A service interface and its implementation: paging, grouping, text building, local functions.</summary>
    public static void Service(CorpusWriter file)
    {
        var n = file.Names;
        var item = file.Unique(n.Pascal + "Item");
        var contract = file.Unique("I" + n.Pascal + "Service");
        var type = file.Unique(n.Pascal + "Service");
        file.Use("System.Globalization", "System.Text");
        var pageSize = 10 * (1 + file.Random.Next(10));
        file.Add("Service", $$"""
            public sealed record {{item}}(int Id, string Name, string Category, decimal Price, int Quantity, DateOnly Created)
            {
                public decimal Total => Price * Quantity;
            }

            public interface {{contract}}
            {
                IReadOnlyList<{{item}}> Page(int page);

                IReadOnlyDictionary<string, decimal> TotalsByCategory();

                string Describe(int id);
            }

            public sealed class {{type}} : {{contract}}
            {
                private const int PageSize = {{pageSize}};
                private readonly List<{{item}}> _items;

                public {{type}}(IEnumerable<{{item}}> items) => _items = items.OrderBy(i => i.Id).ToList();

                public int Count => _items.Count;

                public IReadOnlyList<{{item}}> Page(int page)
                {
                    if (page < 0)
                    {
                        throw new ArgumentOutOfRangeException(nameof(page), page, "The page must not be negative.");
                    }

                    return _items.Skip(page * PageSize).Take(PageSize).ToList();
                }

                public IReadOnlyDictionary<string, decimal> TotalsByCategory()
                    => _items.GroupBy(i => i.Category, StringComparer.OrdinalIgnoreCase)
                        .ToDictionary(g => g.Key, g => g.Sum(i => i.Total), StringComparer.OrdinalIgnoreCase);

                public string Describe(int id)
                {
                    var item = _items.FirstOrDefault(i => i.Id == id);
                    if (item is null)
                    {
                        return $"No {{n.Snake}} {id}.";
                    }

                    var text = new StringBuilder();
                    text.Append(item.Name).Append(" (").Append(item.Category).Append(')');
                    text.Append(": ").Append(Money(item.Total));
                    if (IsRecent(item.Created))
                    {
                        text.Append(", new");
                    }

                    return text.ToString();

                    static string Money(decimal value) => value.ToString("C", CultureInfo.GetCultureInfo("en-US"));

                    static bool IsRecent(DateOnly created) => created > DateOnly.FromDateTime(DateTime.UtcNow.AddDays(-30));
                }

                public IEnumerable<{{item}}> Search(string text, decimal? maxPrice = null)
                {
                    foreach (var item in _items)
                    {
                        if (!item.Name.Contains(text, StringComparison.OrdinalIgnoreCase))
                        {
                            continue;
                        }

                        if (maxPrice is { } limit && item.Price > limit)
                        {
                            continue;
                        }

                        yield return item;
                    }
                }

                public ({{item}}? Cheapest, {{item}}? Dearest) Extremes()
                    => _items.Count == 0 ? (null, null) : (_items.MinBy(i => i.Price), _items.MaxBy(i => i.Price));

                public string Report()
                {
                    var lines = TotalsByCategory()
                        .OrderByDescending(p => p.Value)
                        .Select((p, index) => $"{index + 1,3}. {p.Key,-20} {p.Value,12:N2}");
                    return string.Join(Environment.NewLine, lines);
                }
            }

            """);
    }

    private static void Records(CorpusWriter file)
    {
        var n = file.Names;
        var state = file.Unique(n.Pascal + "State");
        var line = file.Unique(n.Pascal + "Line");
        var document = file.Unique(n.Pascal + "Document");
        var labels = file.Unique(n.Pascal + "StateLabels");
        file.Add("Records", $$"""
            public enum {{state}}
            {
                Draft,
                Submitted,
                Approved,
                Rejected,
                Closed,
            }

            public sealed record {{line}}(string Sku, int Quantity, decimal UnitPrice, decimal DiscountRate = 0m)
            {
                public decimal Total => Math.Round(Quantity * UnitPrice * (1 - DiscountRate), 2);
            }

            public sealed record {{document}}(Guid Id, string Customer, {{state}} State, IReadOnlyList<{{line}}> Lines)
            {
                public decimal Total => Lines.Sum(l => l.Total);

                public bool CanEdit => State is {{state}}.Draft or {{state}}.Rejected;

                public {{document}} With(params {{line}}[] lines) => this with { Lines = Lines.Concat(lines).ToList() };
            }

            public static class {{labels}}
            {
                public static string Label(this {{state}} state) => state switch
                {
                    {{state}}.Draft => "Draft",
                    {{state}}.Submitted => "Waiting for approval",
                    {{state}}.Approved => "Approved",
                    {{state}}.Rejected => "Rejected",
                    {{state}}.Closed => "Closed",
                    _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
                };

                public static {{state}} Next(this {{state}} state, bool approved) => (state, approved) switch
                {
                    ({{state}}.Draft, _) => {{state}}.Submitted,
                    ({{state}}.Submitted, true) => {{state}}.Approved,
                    ({{state}}.Submitted, false) => {{state}}.Rejected,
                    ({{state}}.Rejected, _) => {{state}}.Draft,
                    _ => {{state}}.Closed,
                };
            }

            """);
    }

    private static void Calculator(CorpusWriter file)
    {
        var n = file.Names;
        var type = file.Unique(n.Pascal + "Pricing");
        var rate = 5 + file.Random.Next(20);
        file.Add("Pricing", $$"""
            public static class {{type}}
            {
                public const decimal TaxRate = 0.{{rate:D2}}m;

                public static decimal Subtotal(IEnumerable<(decimal Price, int Quantity)> lines) => lines.Sum(l => l.Price * l.Quantity);

                public static decimal Discount(decimal subtotal, int loyaltyYears) => loyaltyYears switch
                {
                    <= 0 => 0m,
                    < 3 => subtotal * 0.02m,
                    < 10 => subtotal * 0.05m,
                    _ => subtotal * 0.08m,
                };

                public static decimal Total(IEnumerable<(decimal Price, int Quantity)> lines, int loyaltyYears)
                {
                    var subtotal = Subtotal(lines);
                    var discounted = subtotal - Discount(subtotal, loyaltyYears);
                    return Math.Round(discounted * (1 + TaxRate), 2, MidpointRounding.AwayFromZero);
                }

                public static IReadOnlyList<decimal> Installments(decimal total, int count)
                {
                    if (count <= 0)
                    {
                        throw new ArgumentOutOfRangeException(nameof(count));
                    }

                    var each = Math.Floor(total / count * 100) / 100;
                    var result = Enumerable.Repeat(each, count).ToArray();
                    result[^1] += total - each * count;
                    return result;
                }

                public static double Percentile(IReadOnlyList<double> values, double percentile)
                {
                    if (values.Count == 0)
                    {
                        return double.NaN;
                    }

                    var sorted = values.Order().ToArray();
                    var rank = percentile / 100 * (sorted.Length - 1);
                    var lower = (int)Math.Floor(rank);
                    var upper = (int)Math.Ceiling(rank);
                    return sorted[lower] + (sorted[upper] - sorted[lower]) * (rank - lower);
                }
            }

            """);
    }

    private static void Validator(CorpusWriter file)
    {
        var n = file.Names;
        var type = file.Unique(n.Pascal + "Validator");
        file.Use("System.Text.RegularExpressions");
        file.Add("Validator", $$"""
            public sealed partial class {{type}}
            {
                private readonly List<string> _errors = new();

                public IReadOnlyList<string> Errors => _errors;

                public bool IsValid => _errors.Count == 0;

                public {{type}} RequireText(string? value, string field, int maxLength = 200)
                {
                    if (string.IsNullOrWhiteSpace(value))
                    {
                        _errors.Add($"{field} is required.");
                    }
                    else if (value.Length > maxLength)
                    {
                        _errors.Add($"{field} must be at most {maxLength} characters.");
                    }

                    return this;
                }

                public {{type}} RequireEmail(string? value, string field)
                {
                    if (value is null || !EmailPattern().IsMatch(value))
                    {
                        _errors.Add($"{field} is not an e-mail address.");
                    }

                    return this;
                }

                public {{type}} RequireRange(decimal value, decimal min, decimal max, string field)
                {
                    if (value < min || value > max)
                    {
                        _errors.Add($"{field} must be between {min} and {max}.");
                    }

                    return this;
                }

                public void ThrowIfInvalid()
                {
                    if (!IsValid)
                    {
                        throw new ArgumentException(string.Join(" ", _errors));
                    }
                }

                private static Regex EmailPattern() => new(@"^[^@\s]+@[^@\s]+\.[^@\s]+$", RegexOptions.CultureInvariant);
            }

            """);
    }

    private static void Parser(CorpusWriter file)
    {
        var n = file.Names;
        var type = file.Unique(n.Pascal + "Parser");
        file.Use("System.Globalization", "System.Text.Json");
        var swallow = file.Chance(30)
            ? """
                      catch (Exception)
                      {
                          return new Dictionary<string, string>();
                      }
              """
            : """
                      catch (JsonException)
                      {
                          return new Dictionary<string, string>();
                      }
              """;
        file.Add("Parser", $$"""
            public static class {{type}}
            {
                public static decimal? ParseAmount(string text)
                {
                    try
                    {
                        return decimal.Parse(text, NumberStyles.Currency, CultureInfo.InvariantCulture);
                    }
                    catch (FormatException)
                    {
                        return null;
                    }
                }

                public static DateOnly? ParseDate(string text)
                    => DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;

                public static IReadOnlyDictionary<string, string> ParseTags(string json)
                {
                    try
                    {
                        return JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? new Dictionary<string, string>();
                    }
            {{swallow}}
                }

                public static IEnumerable<(string Key, string Value)> ParsePairs(string text)
                {
                    foreach (var part in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        var equals = part.IndexOf('=');
                        if (equals > 0)
                        {
                            yield return (part[..equals].Trim(), part[(equals + 1)..].Trim());
                        }
                    }
                }
            }

            """);
    }

    private static void Cache(CorpusWriter file)
    {
        var n = file.Names;
        var type = file.Unique(n.Pascal + "Cache");
        file.Use("System.Collections.Concurrent");
        file.Add("Cache", $$"""
            public sealed class {{type}}<TValue>(TimeProvider clock, TimeSpan lifetime)
                where TValue : class
            {
                private readonly ConcurrentDictionary<string, (TValue Value, DateTimeOffset Expires)> _entries = new(StringComparer.Ordinal);

                public int Count => _entries.Count;

                public TValue GetOrAdd(string key, Func<string, TValue> factory)
                {
                    var now = clock.GetUtcNow();
                    if (_entries.TryGetValue(key, out var entry) && entry.Expires > now)
                    {
                        return entry.Value;
                    }

                    var value = factory(key);
                    _entries[key] = (value, now + lifetime);
                    return value;
                }

                public bool TryGet(string key, out TValue? value)
                {
                    if (_entries.TryGetValue(key, out var entry) && entry.Expires > clock.GetUtcNow())
                    {
                        value = entry.Value;
                        return true;
                    }

                    value = null;
                    return false;
                }

                public int Evict()
                {
                    var now = clock.GetUtcNow();
                    var expired = _entries.Where(p => p.Value.Expires <= now).Select(p => p.Key).ToList();
                    expired.ForEach(key => _entries.TryRemove(key, out _));
                    return expired.Count;
                }
            }

            """);
    }

    private static void Extensions(CorpusWriter file)
    {
        var n = file.Names;
        var type = file.Unique(n.Pascal + "TextExtensions");
        file.Use("System.Globalization", "System.Text");
        file.Add("Extensions", $$"""
            public static class {{type}}
            {
                public static string Truncate(this string value, int maxLength)
                    => value.Length <= maxLength ? value : string.Concat(value.AsSpan(0, Math.Max(0, maxLength - 1)), "…");

                public static string ToSlug(this string value)
                {
                    var slug = new StringBuilder(value.Length);
                    foreach (var c in value.Normalize(NormalizationForm.FormD))
                    {
                        if (char.IsLetterOrDigit(c))
                        {
                            slug.Append(char.ToLowerInvariant(c));
                        }
                        else if ((char.IsWhiteSpace(c) || c is '-' or '_') && slug.Length > 0 && slug[^1] != '-')
                        {
                            slug.Append('-');
                        }
                    }

                    return slug.ToString().Trim('-');
                }

                public static string TitleCase(this string value) => CultureInfo.InvariantCulture.TextInfo.ToTitleCase(value.ToLowerInvariant());

                public static IEnumerable<IReadOnlyList<T>> Batch<T>(this IEnumerable<T> source, int size)
                {
                    var batch = new List<T>(size);
                    foreach (var item in source)
                    {
                        batch.Add(item);
                        if (batch.Count == size)
                        {
                            yield return batch;
                            batch = new List<T>(size);
                        }
                    }

                    if (batch.Count > 0)
                    {
                        yield return batch;
                    }
                }
            }

            """);
    }

    private static void Workflow(CorpusWriter file)
    {
        var n = file.Names;
        var step = file.Unique(n.Pascal + "Step");
        var type = file.Unique(n.Pascal + "Workflow");
        file.Add("Workflow", $$"""
            public abstract record {{step}}(string Name)
            {
                public sealed record Manual(string Name, string Assignee) : {{step}}(Name);

                public sealed record Automatic(string Name, TimeSpan Timeout) : {{step}}(Name);

                public sealed record Approval(string Name, int RequiredApprovers) : {{step}}(Name);
            }

            public sealed class {{type}}
            {
                private readonly Queue<{{step}}> _pending = new();
                private readonly List<string> _log = new();

                public IReadOnlyList<string> Log => _log;

                public {{type}} Then({{step}} step)
                {
                    _pending.Enqueue(step);
                    return this;
                }

                public TimeSpan EstimatedDuration() => _pending.Aggregate(TimeSpan.Zero, (total, step) => total + step switch
                {
                    {{step}}.Manual => TimeSpan.FromHours(4),
                    {{step}}.Automatic automatic => automatic.Timeout,
                    {{step}}.Approval { RequiredApprovers: > 2 } => TimeSpan.FromDays(2),
                    {{step}}.Approval => TimeSpan.FromDays(1),
                    _ => TimeSpan.Zero,
                });

                public bool RunNext(Func<{{step}}, bool> execute)
                {
                    if (!_pending.TryDequeue(out var step))
                    {
                        return false;
                    }

                    var succeeded = execute(step);
                    _log.Add($"{DateTimeOffset.UtcNow:u} {step.Name}: {(succeeded ? "done" : "failed")}");
                    if (!succeeded)
                    {
                        _pending.Enqueue(step);
                    }

                    return succeeded;
                }
            }

            """);
    }
}
