using System.Reflection;
using System.Runtime.CompilerServices;
using Nuage.Core.Errors;

namespace Nuage.Server.Tests.Architecture;

/// <summary>
/// One options style across the server and its libraries: every <c>*Options</c> type is a sealed record whose
/// properties are init-only (composed once at startup, never changed under a running server), with a
/// <c>Validate()</c> that returns every problem at once as field errors (the server gathers them all before starting).
/// </summary>
public sealed class OptionsStyleTests
{
    [Fact]
    public void OptionsTypes_AcrossAllAssemblies_AreSealedRecordsWithInitOnlyPropertiesAndOneValidateShape()
    {
        var types = OptionsTypes();
        Assert.Contains(types, t => t.Name == "LocalSchedulerOptions");
        Assert.Contains(types, t => t.Name == "NuageServerOptions");

        var problems = new List<string>();
        foreach (var type in types)
        {
            if (!type.IsSealed || type.GetMethod("<Clone>$") is null)
            {
                problems.Add($"{type.FullName} is not a sealed record");
            }

            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                var setter = property.SetMethod;
                if (setter is { IsPublic: true } && !setter.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(IsExternalInit)))
                {
                    problems.Add($"{type.FullName}.{property.Name} has a public setter (use init)");
                }

                if (property.PropertyType.IsGenericType && property.PropertyType.GetGenericTypeDefinition() is var generic
                    && (generic == typeof(IList<>) || generic == typeof(List<>) || generic == typeof(ICollection<>)))
                {
                    problems.Add($"{type.FullName}.{property.Name} is a mutable collection (use IReadOnlyList)");
                }
            }

            var validate = type.GetMethod("Validate", BindingFlags.Public | BindingFlags.Instance, Type.EmptyTypes);
            if (validate is not null && validate.ReturnType != typeof(IReadOnlyList<FieldError>))
            {
                problems.Add($"{type.FullName}.Validate() returns {validate.ReturnType.Name}, not IReadOnlyList<FieldError>");
            }
        }

        Assert.True(problems.Count == 0, "options style (see docs/architecture.md, Options):\n" + string.Join('\n', problems));
    }

    private static List<Type> OptionsTypes() =>
        Directory.EnumerateFiles(AppContext.BaseDirectory, "Nuage*.dll")
            .Select(Path.GetFileNameWithoutExtension)
            .Where(n => n is not null && !n.EndsWith(".Tests", StringComparison.Ordinal))
            .Select(n => Assembly.Load(n!))
            .SelectMany(a => a.GetTypes())
            .Where(t => t.IsClass && !t.IsAbstract && t.Name.EndsWith("Options", StringComparison.Ordinal) && !t.Name.StartsWith('<'))
            .ToList();
}
