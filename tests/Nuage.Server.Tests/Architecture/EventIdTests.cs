using System.Reflection;
using Microsoft.Extensions.Logging;
using Nuage.Core.Logging;

namespace Nuage.Server.Tests.Architecture;

/// <summary>
/// Every <c>[LoggerMessage]</c> of every Nuage assembly has an id, inside the range its namespace owns
/// (<see cref="EventIds"/>), and no two messages share one: an id names exactly one message.
/// </summary>
public sealed class EventIdTests
{
    [Fact]
    public void LoggerMessages_AcrossAllAssemblies_HaveUniqueIdsInTheirComponentsRange()
    {
        var messages = LoggerMessages();
        Assert.True(messages.Count > 20, $"found only {messages.Count} [LoggerMessage] methods; some assemblies were not loaded");
        Assert.Contains(messages, m => m.Assembly == "Nuage.Build");
        Assert.Contains(messages, m => m.Assembly == "Nuage.Runtime");

        var problems = new List<string>();
        problems.AddRange(messages.Where(m => m.Id <= 0).Select(m => $"{m.Name} has no EventId"));
        problems.AddRange(messages.GroupBy(m => m.Id).Where(g => g.Key > 0 && g.Count() > 1)
            .Select(g => $"event id {g.Key} is used by {string.Join(" and ", g.Select(m => m.Name))}"));
        foreach (var message in messages.Where(m => m.Id > 0))
        {
            var range = EventIds.RangeOf(message.Namespace);
            if (range is null)
            {
                problems.Add($"{message.Name}: namespace {message.Namespace} owns no event-id range (add one to src/Nuage.Core/Logging/EventIds.cs)");
            }
            else if (!range.Contains(message.Id))
            {
                problems.Add($"{message.Name}: event id {message.Id} is outside {range.Namespace}'s range {range.First}-{range.Last}");
            }
        }

        Assert.True(problems.Count == 0, "log event ids (see src/Nuage.Core/Logging/EventIds.cs):\n" + string.Join('\n', problems));
    }

    [Fact]
    public void Ranges_DoNotOverlap()
    {
        var ranges = EventIds.Ranges.OrderBy(r => r.First).ToList();
        for (var i = 1; i < ranges.Count; i++)
        {
            Assert.True(ranges[i].First > ranges[i - 1].Last, $"{ranges[i - 1].Namespace} and {ranges[i].Namespace} overlap");
        }
    }

    private sealed record Message(string Assembly, string? Namespace, string Name, int Id);

    private static List<Message> LoggerMessages()
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly;
        var assemblies = Directory.EnumerateFiles(AppContext.BaseDirectory, "Nuage*.dll")
            .Select(Path.GetFileNameWithoutExtension)
            .Where(n => n is not null && !n.EndsWith(".Tests", StringComparison.Ordinal))
            .Select(n => Assembly.Load(n!))
            .ToList();
        return assemblies
            .SelectMany(a => a.GetTypes())
            .SelectMany(t => t.GetMethods(all).Select(m => (Type: t, Method: m, Attribute: m.GetCustomAttribute<LoggerMessageAttribute>())))
            .Where(x => x.Attribute is not null)
            .Select(x => new Message(x.Type.Assembly.GetName().Name!, x.Type.Namespace, $"{x.Type.FullName}.{x.Method.Name}", x.Attribute!.EventId))
            .ToList();
    }
}
