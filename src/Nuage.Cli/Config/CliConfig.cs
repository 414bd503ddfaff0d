namespace Nuage.Cli.Config;

/// <summary>What <c>nuage login</c> stores: the server and the token to use, and the organisation 'nuage org use' picked.</summary>
public sealed record CliConfig(string Url, string Token, string? Org = null);
