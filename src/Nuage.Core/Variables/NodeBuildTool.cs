namespace Nuage.Core.Variables;

/// <summary>How a Node.js app's dependencies are installed (<c>CC_NODE_BUILD_TOOL</c>).</summary>
public enum NodeBuildTool
{
    Npm,
    NpmCi,
    Yarn,
    Yarn2,

    /// <summary>Run <c>CC_CUSTOM_BUILD_TOOL</c> instead.</summary>
    Custom,
}
