namespace Nuage.Server.Api;

/// <summary>Endpoint metadata raising the API's body size cap for that endpoint (uploads).</summary>
internal sealed record BodyLimit(long Bytes);
