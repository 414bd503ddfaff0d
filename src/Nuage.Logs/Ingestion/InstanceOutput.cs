namespace Nuage.Logs.Ingestion;

/// <summary>One running instance whose stdout/stderr files are tailed into its app's log (paths from NuagePaths.InstanceOutput).</summary>
public sealed record InstanceOutput(string AppId, string InstanceId, string? DeploymentId, string StdoutPath, string StderrPath);
