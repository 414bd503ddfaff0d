using Nuage.Core.Errors;

namespace Nuage.Router.Standalone;

/// <summary>Checks on the control socket's path shared by the router (which binds it) and the server (which connects).</summary>
internal static class RouterControlSocket
{
    /// <summary>Refuses a path that is a symbolic link: the socket must be the one the router bound, not one it points to.</summary>
    public static void RefuseLink(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is not null)
        {
            throw NuageException.Invalid("router socket", path, $"is a symbolic link (to {info.LinkTarget}); remove it, the router creates its own socket there");
        }
    }
}
