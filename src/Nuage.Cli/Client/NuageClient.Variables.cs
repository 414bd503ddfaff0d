using Nuage.Cli.Config;
using Nuage.Core.Variables;

namespace Nuage.Cli.Client;

public sealed partial class NuageClient
{
    public Task<List<VariableInfo>> ListVariablesAsync(string? runtime, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, runtime is null ? "v1/variables" : $"v1/variables?runtime={Uri.EscapeDataString(runtime)}", null, CliJson.Default.ListVariableInfo, cancellationToken);

    public Task<VariableInfo> GetVariableAsync(string name, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, $"v1/variables/{Uri.EscapeDataString(name)}", null, CliJson.Default.VariableInfo, cancellationToken);
}
