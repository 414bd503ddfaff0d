namespace Nuage.Core.Variables;

/// <summary>Whether development dependencies are installed (<c>CC_NODE_DEV_DEPENDENCIES</c>).</summary>
public enum DevDependencies
{
    Ignore,
    Install,
}
