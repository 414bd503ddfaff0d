using Nuage.Build.Planning;
using Nuage.Core.Variables;

namespace Nuage.Server.Deployments;

/// <summary>The app's variables as validated for one deployment, and the settings read from them.</summary>
internal sealed record DeploymentInputs(IReadOnlyDictionary<string, string> Variables, AppSettings Settings);

/// <summary>A built release: its directory and how to start it.</summary>
internal sealed record Release(string Directory, StartPlan Plan);
