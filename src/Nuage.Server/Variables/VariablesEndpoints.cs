using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Nuage.Core.Apps;
using Nuage.Core.Auth;
using Nuage.Core.Errors;
using Nuage.Core.Variables;
using Nuage.Server.Api;

namespace Nuage.Server.Variables;

/// <summary>The deployment-variable registry, for <c>nuage variables</c>, editors (JSON Schema) and agents.</summary>
internal static class VariablesEndpoints
{
    public static void Map(RouteGroupBuilder v1)
    {
        var variables = v1.MapGroup("/variables").WithTags("Variables");
        variables.MapGet("/", (HttpContext http, VariableValidator validator, string? runtime) =>
        {
            http.Caller().Require(Role.Viewer, "Reading the variable registry");
            return validator.Describe(CheckRuntime(runtime));
        });
        variables.MapGet("/schema", (HttpContext http, VariableValidator validator, string? runtime) =>
        {
            http.Caller().Require(Role.Viewer, "Reading the variable registry");
            return TypedResults.Text(validator.Schema(CheckRuntime(runtime)), "application/schema+json");
        });
        variables.MapGet("/{name}", (string name, HttpContext http, VariableValidator validator) =>
        {
            http.Caller().Require(Role.Viewer, "Reading the variable registry");
            if (validator.Explain(name) is { } info)
            {
                return info;
            }

            var hint = validator.Registry.Suggest(name) is { } suggestion ? $" Did you mean {suggestion}?" : string.Empty;
            throw NuageException.NotFound(ErrorCodes.VariableUnknown, $"\"{name}\" is not a variable Nuage knows.{hint} 'nuage variables' lists them.");
        });
    }

    private static string? CheckRuntime(string? runtime) =>
        runtime is null || Runtimes.IsKnown(runtime)
            ? runtime
            : throw NuageException.Invalid("runtime", runtime, $"\"{runtime}\" is not a runtime; use one of: {string.Join(", ", Runtimes.All)}");
}
