using Nuage.Core.Variables;

namespace Nuage.Cli.Manifest;

/// <summary>Checks the written variable values with the registry the server uses, so a bad value stops apply before any change.</summary>
internal static class ManifestVariables
{
    private static readonly VariableValidator Validator = new(VariableRegistry.Default, HostVersions.None);

    public static IEnumerable<ManifestError> Check(ManifestConfig config)
    {
        foreach (var app in config.Apps)
        {
            var literals = app.Variables.Where(v => v.Value.Value is not null).Select(v => new KeyValuePair<string, string>(v.Key, v.Value.Value!));
            foreach (var error in Validator.ValidateChanges(app.Runtime, literals).Errors)
            {
                var field = $"apps.{app.Name}.variables.{error.Field}";
                yield return new ManifestError(config.PositionOf(field), field, error.Message);
            }
        }
    }
}
