using System.Globalization;
using System.Text;

namespace Nuage.Core.Errors;

/// <summary>Renders docs/errors.md from the catalogue (<see cref="ErrorCodes"/>, <see cref="ErrorKinds"/>).</summary>
public static class ErrorDocs
{
    public static string Render()
    {
        var text = new StringBuilder();
        text.Append("# Errors\n\n")
            .Append("<!-- Generated from src/Nuage.Core/Errors/ErrorCodes.cs by ErrorDocsTests; do not edit by hand.\n")
            .Append("     Regenerate: NUAGE_UPDATE_GOLDEN=1 dotnet test tests/Nuage.Core.Tests --filter ErrorDocsTests -->\n\n")
            .Append("Every failure carries a stable `code`. The REST API answers `application/problem+json` (RFC 9457) with\n")
            .Append("`status`, `code`, `detail` and, for refused input, an `errors` list naming each field, the value received and\n")
            .Append("what is accepted. The CLI prints the detail and exits with the code's exit code. MCP tools return a tool error\n")
            .Append("`{ code, message }` with the coarse MCP code of the kind (docs/mcp.md). Codes never change meaning.\n\n")
            .Append("## Kinds\n\n")
            .Append("| Kind | HTTP status | CLI exit code | MCP code | Meaning |\n|---|---|---|---|---|\n");
        foreach (var kind in ErrorKinds.All)
        {
            text.Append(CultureInfo.InvariantCulture, $"| {kind.Kind} | {kind.HttpStatus} | {kind.ExitCode} | `{kind.McpCode}` | {kind.Meaning} |\n");
        }

        text.Append(CultureInfo.InvariantCulture,
            $"\nOther CLI exit codes: {CliExitCodes.Ok} success, {CliExitCodes.Unreachable} the server could not be reached. An unexpected server failure is MCP `{ErrorKinds.McpInternal}`.\n\n");
        text.Append("## Codes\n\n| Code | Kind | HTTP status | CLI exit code | Meaning |\n|---|---|---|---|---|\n");
        foreach (var code in ErrorCodes.All)
        {
            text.Append(CultureInfo.InvariantCulture, $"| `{code.Code}` | {code.Kind} | {code.HttpStatus} | {code.ExitCode} | {code.Meaning} |\n");
        }

        return text.ToString();
    }
}
