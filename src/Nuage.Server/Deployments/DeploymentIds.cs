using System.Security.Cryptography;

namespace Nuage.Server.Deployments;

/// <summary>Deployment ids sort by creation time (hex milliseconds, then randomness), so listings need no extra index.</summary>
internal static class DeploymentIds
{
    public static string New(TimeProvider time) =>
        $"dep_{time.GetUtcNow().ToUnixTimeMilliseconds():x12}{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}";
}
