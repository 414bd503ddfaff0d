namespace Nuage.Core.Variables;

/// <summary>How a Go app is built (<c>CC_GO_BUILD_TOOL</c>).</summary>
public enum GoBuildTool
{
    /// <summary>Module mode: <c>go build</c> with go.mod.</summary>
    GoMod,

    /// <summary>Plain <c>go build</c> of <c>CC_GO_PKG</c>.</summary>
    GoBuild,
}
