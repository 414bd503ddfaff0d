using System.Net.Sockets;

namespace Nuage.Bgp.Irr;

/// <summary>
/// Reads <c>route:</c> and <c>route6:</c> objects from RPSL text (RFC 2622, as IRR databases and <c>whois</c> print it):
/// objects are separated by blank lines, an attribute is <c>name: value</c>, a line starting with a space, a tab or
/// <c>+</c> continues the previous attribute, <c>%</c> and <c>#</c> lines are comments and <c>#</c> ends a value.
/// Objects of other classes (aut-num, as-set, mntner, …) are skipped.
/// </summary>
public static class RpslRouteFile
{
    public static IReadOnlyList<IrrRoute> Read(string path) => Parse(File.ReadAllText(path), Path.GetFileName(path));

    public static IReadOnlyList<IrrRoute> Parse(string text, string name)
    {
        var routes = new List<IrrRoute>();
        var attributes = new List<(string Name, string Value, int Line)>();
        var lines = text.Split('\n');
        for (var i = 0; i <= lines.Length; i++)
        {
            var line = i < lines.Length ? lines[i].TrimEnd('\r') : "";
            var number = i + 1;
            if (line.Trim().Length == 0)
            {
                if (attributes.Count > 0)
                {
                    AddRoute(attributes, name, routes);
                    attributes.Clear();
                }

                continue;
            }

            if (line[0] is '%' or '#')
            {
                continue;
            }

            if (line[0] is ' ' or '\t' or '+')
            {
                if (attributes.Count == 0)
                {
                    throw new IrrFormatException(name, number, "a continuation line (starting with a space, a tab or '+') with no attribute before it");
                }

                var last = attributes[^1];
                attributes[^1] = last with { Value = (last.Value + " " + StripComment(line[1..])).Trim() };
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var attribute = colon > 0 ? line[..colon] : "";
            if (attribute.Length == 0 || !attribute.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                throw new IrrFormatException(name, number, $"expected 'attribute: value', got '{Shorten(line)}'");
            }

            attributes.Add((attribute.ToLowerInvariant(), StripComment(line[(colon + 1)..]), number));
        }

        return routes;
    }

    private static void AddRoute(List<(string Name, string Value, int Line)> attributes, string name, List<IrrRoute> routes)
    {
        var (objectClass, value, line) = attributes[0];
        if (objectClass is not ("route" or "route6"))
        {
            return;
        }

        var prefix = IrrRegistry.ParsePrefix(value)
            ?? throw new IrrFormatException(name, line, $"{objectClass}: '{value}' is not a prefix (CIDR like 192.0.2.0/24 or 2001:db8::/32, no host bits)");
        var v4 = prefix.BaseAddress.AddressFamily == AddressFamily.InterNetwork;
        if (v4 != (objectClass == "route"))
        {
            throw new IrrFormatException(name, line, $"{objectClass}: '{value}' is an {(v4 ? "IPv4" : "IPv6")} prefix: use {(v4 ? "route" : "route6")}: for it");
        }

        var origins = attributes.Where(a => a.Name == "origin").ToList();
        if (origins.Count != 1)
        {
            throw new IrrFormatException(name, line, $"{objectClass}: {value} has {origins.Count} origin: attributes; a route object has exactly one (origin: AS65001)");
        }

        var origin = IrrRegistry.ParseAsn(origins[0].Value)
            ?? throw new IrrFormatException(name, origins[0].Line, $"origin: '{origins[0].Value}' is not an AS number (AS65001)");
        var source = attributes.FirstOrDefault(a => a.Name == "source").Value;
        routes.Add(new IrrRoute(prefix, origin, $"{name} line {line}{(string.IsNullOrEmpty(source) ? "" : ", source " + source)}"));
    }

    private static string StripComment(string value)
    {
        var hash = value.IndexOf('#', StringComparison.Ordinal);
        return (hash >= 0 ? value[..hash] : value).Trim();
    }

    private static string Shorten(string line) => line.Length > 60 ? line[..60] + "…" : line;
}
