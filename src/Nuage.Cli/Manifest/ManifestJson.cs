using System.Text.Json;
using System.Text.Json.Serialization;

namespace Nuage.Cli.Manifest;

/// <summary>One plan line in <c>nuage apply --json</c>.</summary>
internal sealed record PlanLineDto(string Action, string Target, string Detail, bool Applied);

/// <summary>The whole <c>nuage apply --json</c> answer: the plan, what was applied, and the errors when it was refused or stopped.</summary>
internal sealed record ApplyResultDto(bool NoChanges, IReadOnlyList<PlanLineDto> Changes, int Applied, IReadOnlyList<string> Errors, IReadOnlyList<string> Notes);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true)]
[JsonSerializable(typeof(ApplyResultDto))]
internal sealed partial class ManifestJson : JsonSerializerContext;
