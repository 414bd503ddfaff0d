using System.Text.Json.Nodes;

namespace Nuage.Core.Variables;

/// <summary>
/// A relative path that must stay inside the release directory: not absolute, no <c>..</c> segment,
/// no backslash or control character. The value is normalised (no empty or <c>.</c> segments, no trailing slash;
/// the release root itself is <c>.</c>). <see cref="WebRoot"/> also takes Clever Cloud's leading-slash form
/// (<c>/public</c>), the slash meaning the app folder, not the file system root.
/// </summary>
public sealed class PathType : VariableType<string>
{
    public const int MaxLength = 1024;

    private readonly bool _leadingSlashIsAppFolder;

    private PathType(bool leadingSlashIsAppFolder)
    {
        _leadingSlashIsAppFolder = leadingSlashIsAppFolder;
    }

    public static PathType Relative { get; } = new(leadingSlashIsAppFolder: false);

    /// <summary>A folder inside the app folder, written <c>dist</c> or <c>/dist</c> (both mean the app folder's dist).</summary>
    public static PathType WebRoot { get; } = new(leadingSlashIsAppFolder: true);

    public override VariableKind Kind => VariableKind.Path;

    public override string AcceptedForDocs => _leadingSlashIsAppFolder
        ? "a path inside the app folder such as dist or /public (a leading / is the app folder; no .. segment, no backslash)"
        : "a relative path inside the release (no leading /, no .. segment, no backslash)";

    public override string Accepted(HostVersions versions) => AcceptedForDocs;

    public override bool TryParse(string trimmed, HostVersions versions, out string value)
    {
        value = "";
        if (trimmed.Length > MaxLength || (trimmed.StartsWith('/') && !_leadingSlashIsAppFolder) || trimmed.Contains('\\')
            || trimmed.Any(char.IsControl) || (trimmed.Length >= 2 && trimmed[1] == ':'))
        {
            return false;
        }

        var segments = trimmed.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(s => s != ".").ToArray();
        if (segments.Any(s => s == ".."))
        {
            return false;
        }

        value = segments.Length == 0 ? "." : string.Join('/', segments);
        return true;
    }

    public override string Format(string value) => value;

    internal override void DescribeSchema(JsonObject property, HostVersions versions)
    {
        property["type"] = "string";
        property["minLength"] = 1;
        property["maxLength"] = MaxLength;
        property["pattern"] = _leadingSlashIsAppFolder
            ? "^(?!.*(^|/)\\.\\.(/|\\s*$))[^\\\\]*$"
            : "^(?!\\s*/)(?!.*(^|/)\\.\\.(/|\\s*$))[^\\\\]*$";
    }
}
