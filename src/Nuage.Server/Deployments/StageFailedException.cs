namespace Nuage.Server.Deployments;

/// <summary>A deployment stage failed; <see cref="Exception.Message"/> is the reason shown to the user.</summary>
internal sealed class StageFailedException(string stage, string reason) : Exception(reason)
{
    public string Stage { get; } = stage;
}
