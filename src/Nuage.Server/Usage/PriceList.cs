using System.Globalization;
using System.Text.Json;
using Nuage.Core.Addons;
using Nuage.Core.Apps;
using Nuage.Core.Errors;

namespace Nuage.Server.Usage;

/// <summary>
/// The operator's prices (<c>nuage server --prices FILE</c>): a price per hour for each flavor an app instance runs
/// with and each add-on plan, in one currency. There are no built-in prices: a flavor or plan without a price is
/// metered but has no cost. Format (JSON, documented in docs/usage.md):
/// <c>{ "currency": "EUR", "flavors": { "nano": 0.01 }, "plans": { "xs": 0.02 } }</c>.
/// </summary>
internal sealed record PriceList(string Currency, IReadOnlyDictionary<string, decimal> Flavors, IReadOnlyDictionary<string, decimal> Plans)
{
    public static PriceList None { get; } = new(string.Empty, new Dictionary<string, decimal>(), new Dictionary<string, decimal>());

    public bool IsEmpty => Currency.Length == 0;

    /// <summary>The hourly price of a flavor (apps) or plan (add-ons), or null when the list has none.</summary>
    public decimal? HourlyPrice(string subjectKind, string flavor)
    {
        var table = subjectKind == Core.Usage.UsageSubjects.Addon ? Plans : Flavors;
        return table.TryGetValue(flavor, out var price) ? price : null;
    }

    /// <summary>
    /// The cost of <paramref name="seconds"/> instance-seconds of a flavor or plan, rounded to a millionth of the
    /// currency unit so repeated reads agree; null when the list has no price for it.
    /// </summary>
    public decimal? Cost(string subjectKind, string flavor, double seconds) =>
        HourlyPrice(subjectKind, flavor) is { } hourly ? decimal.Round((decimal)seconds / 3600m * hourly, 6) : null;

    /// <summary>Reads and checks the file; every problem is a field error naming the flag, the file's line or key, and what is accepted.</summary>
    public static PriceList Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Refused(path, $"the file cannot be read ({e.Message})");
        }

        return Parse(path, text);
    }

    public static PriceList Parse(string path, string text)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            var line = (e.LineNumber ?? 0) + 1;
            throw Refused(path, string.Create(CultureInfo.InvariantCulture, $"line {line}: not valid JSON ({FirstSentence(e.Message)})"));
        }

        using (document)
        {
            var errors = new List<string>();
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Refused(path, "the file must hold one JSON object with \"currency\", \"flavors\" and \"plans\"");
            }

            string? currency = null;
            var flavors = new Dictionary<string, decimal>(StringComparer.OrdinalIgnoreCase);
            var plans = new Dictionary<string, decimal>(StringComparer.OrdinalIgnoreCase);
            foreach (var property in root.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "currency":
                        currency = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : null;
                        if (currency is null || currency.Length != 3 || !currency.All(char.IsAsciiLetterUpper))
                        {
                            errors.Add($"\"currency\" is {property.Value.GetRawText()}: use an ISO 4217 code such as \"EUR\" or \"USD\"");
                        }

                        break;
                    case "flavors":
                        ReadTable(property, name => Core.Apps.Flavors.Find(name)?.Name, Core.Apps.Flavors.Accepted, flavors, errors);
                        break;
                    case "plans":
                        ReadTable(property, name => AddonPlans.Find(name)?.Name, AddonPlans.Accepted, plans, errors);
                        break;
                    default:
                        errors.Add($"\"{property.Name}\" is not a known key: use \"currency\", \"flavors\" and \"plans\"");
                        break;
                }
            }

            if (currency is null && !errors.Any(e => e.StartsWith("\"currency\"", StringComparison.Ordinal)))
            {
                errors.Add("\"currency\" is missing: add e.g. \"currency\": \"EUR\"");
            }

            if (errors.Count > 0)
            {
                throw new NuageException(ErrorKind.Invalid, ErrorCodes.InvalidOption, $"The price list {path} is refused.", [.. errors.Select(e => new FieldError(UsageOptions.PricesFlag, path, e))]);
            }

            return new PriceList(currency!, flavors, plans);
        }
    }

    private static void ReadTable(JsonProperty property, Func<string, string?> canonical, string accepted, Dictionary<string, decimal> into, List<string> errors)
    {
        if (property.Value.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"\"{property.Name}\" must be an object of name → price per hour, e.g. {{ \"nano\": 0.01 }}");
            return;
        }

        foreach (var entry in property.Value.EnumerateObject())
        {
            var field = $"\"{property.Name}.{entry.Name}\"";
            if (canonical(entry.Name) is not { } name)
            {
                errors.Add($"{field}: \"{entry.Name}\" is not a known name; use one of {accepted}");
            }
            else if (entry.Value.ValueKind != JsonValueKind.Number || !entry.Value.TryGetDecimal(out var price) || price < 0)
            {
                errors.Add($"{field} is {entry.Value.GetRawText()}: use a price per hour, a number ≥ 0");
            }
            else
            {
                into[name] = price;
            }
        }
    }

    private static NuageException Refused(string path, string reason) =>
        new(ErrorKind.Invalid, ErrorCodes.InvalidOption, $"The price list {path} is refused.", [new FieldError(UsageOptions.PricesFlag, path, reason)]);

    private static string FirstSentence(string message) => message.Split(" Path:", 2)[0].Split(" LineNumber:", 2)[0].TrimEnd('.');
}
