using System.Text.Json;
using System.Text.Json.Serialization;
using Nuage.Core.Api;
using Nuage.Core.Variables;

namespace Nuage.Cli.Config;

/// <summary>Source-generated JSON for everything the CLI reads and writes.</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CliConfig))]
[JsonSerializable(typeof(AppLink))]
[JsonSerializable(typeof(AppDto))]
[JsonSerializable(typeof(Page<AppDto>))]
[JsonSerializable(typeof(List<AppDto>))]
[JsonSerializable(typeof(CreateAppRequest))]
[JsonSerializable(typeof(EnvDto))]
[JsonSerializable(typeof(SetVariableRequest))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(CreateTokenRequest))]
[JsonSerializable(typeof(TokenDto))]
[JsonSerializable(typeof(List<TokenDto>))]
[JsonSerializable(typeof(CreatedTokenDto))]
[JsonSerializable(typeof(WhoAmIDto))]
[JsonSerializable(typeof(ProblemDto))]
[JsonSerializable(typeof(VariableInfo))]
[JsonSerializable(typeof(ScaleRequest))]
[JsonSerializable(typeof(OperationDto))]
[JsonSerializable(typeof(InstanceDto))]
[JsonSerializable(typeof(List<InstanceDto>))]
[JsonSerializable(typeof(DeploymentDto))]
[JsonSerializable(typeof(ReleaseRequest))]
[JsonSerializable(typeof(List<VariableInfo>))]
[JsonSerializable(typeof(DeploymentDto))]
[JsonSerializable(typeof(Page<DeploymentDto>))]
[JsonSerializable(typeof(List<DeploymentDto>))]
[JsonSerializable(typeof(DeploymentEventDto))]
[JsonSerializable(typeof(LogLineDto))]
[JsonSerializable(typeof(List<LogLineDto>))]
[JsonSerializable(typeof(CreateDrainRequest))]
[JsonSerializable(typeof(DrainDto))]
[JsonSerializable(typeof(List<DrainDto>))]
[JsonSerializable(typeof(MetricsSummaryDto))]
[JsonSerializable(typeof(AddDomainRequest))]
[JsonSerializable(typeof(DomainDto))]
[JsonSerializable(typeof(List<DomainDto>))]
[JsonSerializable(typeof(CreateAddonRequest))]
[JsonSerializable(typeof(LinkAddonRequest))]
[JsonSerializable(typeof(AddonDto))]
[JsonSerializable(typeof(List<AddonDto>))]
[JsonSerializable(typeof(DeletedAddonDto))]
[JsonSerializable(typeof(AddonCredentialsDto))]
[JsonSerializable(typeof(AddonCatalogDto))]
[JsonSerializable(typeof(AddonBackupDto))]
[JsonSerializable(typeof(List<AddonBackupDto>))]
[JsonSerializable(typeof(RestoreAddonRequest))]
[JsonSerializable(typeof(CreateOrgRequest))]
[JsonSerializable(typeof(OrgDto))]
[JsonSerializable(typeof(List<OrgDto>))]
[JsonSerializable(typeof(MemberRequest))]
[JsonSerializable(typeof(MemberDto))]
[JsonSerializable(typeof(List<MemberDto>))]
[JsonSerializable(typeof(OrgDeletionDto))]
[JsonSerializable(typeof(AuditEntryDto))]
[JsonSerializable(typeof(List<AuditEntryDto>))]
[JsonSerializable(typeof(AuditVerificationDto))]
[JsonSerializable(typeof(UsageReportDto))]
[JsonSerializable(typeof(OidcDeviceStartRequest))]
[JsonSerializable(typeof(OidcDeviceDto))]
[JsonSerializable(typeof(OidcDevicePollRequest))]
[JsonSerializable(typeof(OidcDevicePollDto))]
internal sealed partial class CliJson : JsonSerializerContext;

/// <summary>Compact JSON for line-oriented output (<c>nuage logs --json</c>: one object per line).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(LogLineDto))]
internal sealed partial class CliJsonLines : JsonSerializerContext;
