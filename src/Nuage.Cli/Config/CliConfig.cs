namespace Nuage.Cli.Config;

/// <summary>What <c>nuage login</c> stores: the server and the token to use, and the organisation 'nuage org use' picked.</summary>
public sealed record CliConfig(string Url, string Token, string? Org = null)
{
    /// <summary>The id of a session token from 'nuage login --oidc': 'nuage logout' revokes it on the server.</summary>
    public string? SessionTokenId { get; init; }
}
