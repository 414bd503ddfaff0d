using Nuage.Cli.Config;
using Nuage.Core.Api;

namespace Nuage.Cli.Client;

public sealed partial class NuageClient
{
    public Task<AppDto> CreateAppAsync(CreateAppRequest request, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, "v1/apps", Json(request, CliJson.Default.CreateAppRequest), CliJson.Default.AppDto, cancellationToken);

    public Task<AppDto> GetAppAsync(string app, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, $"v1/apps/{Uri.EscapeDataString(app)}", null, CliJson.Default.AppDto, cancellationToken);

    public async Task<IReadOnlyList<AppDto>> ListAppsAsync(CancellationToken cancellationToken)
    {
        var all = new List<AppDto>();
        string? cursor = null;
        do
        {
            var query = cursor is null ? "v1/apps?limit=200" : $"v1/apps?limit=200&cursor={Uri.EscapeDataString(cursor)}";
            var page = await SendAsync(HttpMethod.Get, query, null, CliJson.Default.PageAppDto, cancellationToken);
            all.AddRange(page.Items);
            cursor = page.Next;
        }
        while (cursor is not null);
        return all;
    }

    public Task DeleteAppAsync(string app, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Delete, $"v1/apps/{Uri.EscapeDataString(app)}", null, cancellationToken);

    public Task<EnvDto> GetEnvAsync(string app, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, $"v1/apps/{Uri.EscapeDataString(app)}/env", null, CliJson.Default.EnvDto, cancellationToken);

    public Task<EnvDto> SetEnvAsync(string app, string name, string value, CancellationToken cancellationToken) =>
        SendAsync(
            HttpMethod.Put,
            $"v1/apps/{Uri.EscapeDataString(app)}/env/{Uri.EscapeDataString(name)}",
            Json(new SetVariableRequest { Value = value }, CliJson.Default.SetVariableRequest),
            CliJson.Default.EnvDto,
            cancellationToken);

    public Task<EnvDto> ReplaceEnvAsync(string app, Dictionary<string, string> variables, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Put, $"v1/apps/{Uri.EscapeDataString(app)}/env", Json(variables, CliJson.Default.DictionaryStringString), CliJson.Default.EnvDto, cancellationToken);

    public Task<EnvDto> RemoveEnvAsync(string app, string name, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Delete, $"v1/apps/{Uri.EscapeDataString(app)}/env/{Uri.EscapeDataString(name)}", null, CliJson.Default.EnvDto, cancellationToken);

    public Task<CreatedTokenDto> CreateTokenAsync(CreateTokenRequest request, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, "v1/tokens", Json(request, CliJson.Default.CreateTokenRequest), CliJson.Default.CreatedTokenDto, cancellationToken);

    public Task<List<TokenDto>> ListTokensAsync(CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, "v1/tokens", null, CliJson.Default.ListTokenDto, cancellationToken);

    public Task RevokeTokenAsync(string id, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Delete, $"v1/tokens/{Uri.EscapeDataString(id)}", null, cancellationToken);
}
