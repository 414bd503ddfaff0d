using Nuage.Core.Errors;

namespace Nuage.Core.Auth;

/// <summary>
/// Who is calling an application service. Every entry point (REST, MCP, git push) builds one from a token,
/// and every service method checks it, so the rules hold whatever the transport.
/// </summary>
public sealed record Caller(string TokenId, Role Role, string Description)
{
    /// <summary>The platform acting on its own behalf (reconcilers, startup).</summary>
    public static Caller System { get; } = new("system", Role.Admin, "nuage");

    public void Require(Role minimum, string action)
    {
        if (Role < minimum)
        {
            throw NuageException.Forbidden(
                $"{action} needs the {minimum.ToString().ToLowerInvariant()} role; this token is {Role.ToString().ToLowerInvariant()}.");
        }
    }
}
