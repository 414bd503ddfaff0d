using Nuage.Cli.Config;
using Nuage.Core.Api;

namespace Nuage.Cli.Client;

public sealed partial class NuageClient
{
    public Task<OrgDto> CreateOrgAsync(string name, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, "v1/orgs", Json(new CreateOrgRequest { Name = name }, CliJson.Default.CreateOrgRequest), CliJson.Default.OrgDto, cancellationToken);

    public Task<List<OrgDto>> ListOrgsAsync(CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, "v1/orgs", null, CliJson.Default.ListOrgDto, cancellationToken);

    public Task<OrgDeletionDto> DeleteOrgAsync(string name, bool confirm, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Delete, $"v1/orgs/{Uri.EscapeDataString(name)}?confirm={(confirm ? "true" : "false")}", null, CliJson.Default.OrgDeletionDto, cancellationToken);

    public Task<List<MemberDto>> ListMembersAsync(string org, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, $"v1/orgs/{Uri.EscapeDataString(org)}/members", null, CliJson.Default.ListMemberDto, cancellationToken);

    public Task<MemberDto> AddMemberAsync(string org, string email, string role, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"v1/orgs/{Uri.EscapeDataString(org)}/members", Json(new MemberRequest { Email = email, Role = role }, CliJson.Default.MemberRequest), CliJson.Default.MemberDto, cancellationToken);

    public Task<MemberDto> SetMemberRoleAsync(string org, string email, string role, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Put, $"v1/orgs/{Uri.EscapeDataString(org)}/members/{Uri.EscapeDataString(email)}", Json(new MemberRequest { Role = role }, CliJson.Default.MemberRequest), CliJson.Default.MemberDto, cancellationToken);

    public Task RemoveMemberAsync(string org, string email, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Delete, $"v1/orgs/{Uri.EscapeDataString(org)}/members/{Uri.EscapeDataString(email)}", null, cancellationToken);

    public Task<List<AuditEntryDto>> ListAuditAsync(string? org, string? app, string? since, int? limit, CancellationToken cancellationToken)
    {
        var query = new List<string>();
        Add("org", org);
        Add("app", app);
        Add("since", since);
        Add("limit", limit?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var path = "v1/audit" + (query.Count > 0 ? "?" + string.Join('&', query) : string.Empty);
        return SendAsync(HttpMethod.Get, path, null, CliJson.Default.ListAuditEntryDto, cancellationToken);

        void Add(string name, string? value)
        {
            if (value is not null)
            {
                query.Add($"{name}={Uri.EscapeDataString(value)}");
            }
        }
    }

    public Task<AuditVerificationDto> VerifyAuditAsync(CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, "v1/audit/verify", null, CliJson.Default.AuditVerificationDto, cancellationToken);
}
