using Nuage.Cli.Manifest;

namespace Nuage.Cli.Tests.Manifest;

/// <summary>The nuage.toml reader: a valid file becomes a manifest; every problem is reported with its place.</summary>
public sealed class ManifestReaderTests
{
    [Fact]
    public void Read_ValidFile_GivesAppsAddonsVariablesAndDrains()
    {
        var (config, errors) = ManifestReader.Read("""
            version = 1
            org = "acme"

            [addons.cache]
            type = "redis"

            [apps.web]
            runtime = "node"
            flavor = "XS"
            instances = 2
            domains = ["www.example.test"]
            addons = ["cache"]

            [apps.web.variables]
            MODE = "production"
            API_KEY = { secret = "WEB_API_KEY" }

            [[apps.web.drains]]
            type = "http"
            url = "https://logs.example.test/in"
            token = { secret = "WEB_DRAIN_TOKEN" }
            """, "nuage.toml");

        Assert.Empty(errors);
        var app = Assert.Single(config!.Apps);
        Assert.Equal(("web", "node", "XS", 2), (app.Name, app.Runtime, app.Flavor, app.Instances));
        Assert.Equal(["MODE", "API_KEY"], app.Variables.Select(v => v.Key));
        Assert.Equal("WEB_API_KEY", app.Variables[1].Value.SecretRef);
        Assert.Equal("WEB_DRAIN_TOKEN", Assert.Single(app.Drains).Token!.SecretRef);
        Assert.Equal(("cache", "redis"), (config.Addons[0].Name, config.Addons[0].Type));
        Assert.Equal("acme", config.Org);
    }

    [Fact]
    public void Read_WrittenByTheWriter_ReadsBackToTheSameText()
    {
        var config = new ManifestConfig
        {
            Addons = [new AddonManifest { Name = "db", Type = "postgresql", Plan = "xs", Version = "15", BackupSchedule = "every 6h", BackupRetention = 14 }],
            Apps = [new AppManifest
            {
                Name = "web", Runtime = "php", Flavor = "nano", Instances = 1, Domains = ["b.test", "a.test"], Addons = ["db"],
                Variables = [new("QUOTED", VariableSpec.Literal("say \"hi\"\\\n\ttab")), new("SECRET", VariableSpec.Secret("WEB_SECRET"))],
                Drains = [new DrainManifest { Type = "syslog-tcp", Url = "tcp://logs.test:6514", SdParams = "env=\"prod\"", Enabled = false }],
            }],
        };

        var text = ManifestWriter.Write(config);
        var (read, errors) = ManifestReader.Read(text, "nuage.toml");

        Assert.Empty(errors);
        Assert.Equal(text, ManifestWriter.Write(read!));
        Assert.Equal("say \"hi\"\\\n\ttab", read!.Apps[0].Variables.Single(v => v.Key == "QUOTED").Value.Value);
    }

    [Fact]
    public void Read_BadValues_ReportsEachWithLineColumnAndWhatIsAccepted()
    {
        var (config, errors) = ManifestReader.Read("""
            version = 2
            [addons.db]
            type = "oracle"
            [apps.web]
            runtime = "cobol"
            flavor = "huge"
            instances = 0
            [apps.web.variables]
            CC_WORKER_RESTART = "sometimes"
            NUMBER = 3
            [apps.api]
            flavor = "S"
            """, "nuage.toml");

        Assert.Null(config);
        var lines = errors.Select(e => e.ToString()).ToList();
        Assert.Contains(lines, l => l.StartsWith("1:11: version: 2 is not a format version", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("3:8: addons.db.type: \"oracle\" is not an add-on type; use one of: postgresql, mysql, redis", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("5:11: apps.web.runtime: \"cobol\" is not a runtime", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("6:10: apps.web.flavor: \"huge\" is not a flavor", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("7:13: apps.web.instances: 0 is out of range", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("10:10: apps.web.variables.NUMBER: must be a string", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("11:1: apps.api: \"runtime\" is required", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_AddonBackupPolicy_IsCanonicalised_AndBadValuesAreReportedWithTheirPlace()
    {
        var (config, errors) = ManifestReader.Read("""
            [addons.db]
            type = "postgresql"
            backup_schedule = "Daily@4:30"
            backup_retention = 30
            """, "nuage.toml");
        Assert.Empty(errors);
        Assert.Equal(("daily@04:30", (int?)30), (config!.Addons[0].BackupSchedule, config.Addons[0].BackupRetention));

        (_, errors) = ManifestReader.Read("""
            [addons.db]
            type = "postgresql"
            backup_schedule = "weekly"
            backup_retention = 0
            """, "nuage.toml");
        var lines = errors.Select(e => e.ToString()).ToList();
        Assert.Contains(lines, l => l.StartsWith("3:19: addons.db.backup_schedule: \"weekly\" is not a backup schedule; use one of: daily@HH:MM", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("4:20: addons.db.backup_retention: 0 is not a retention", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_AutoscaleSection_RoundTripsThroughTheWriter_AndOffIsKept()
    {
        var config = new ManifestConfig
        {
            Apps =
            [
                new AppManifest
                {
                    Name = "shop", Runtime = "node",
                    Autoscale = new AutoscaleManifest { Policy = new() { MinInstances = 1, MaxInstances = 4, MinFlavor = "nano", MaxFlavor = "M", TargetCpu = 60, TargetP99Ms = 250.5 } },
                },
                new AppManifest { Name = "static", Runtime = "static", Autoscale = new AutoscaleManifest { Enabled = false } },
            ],
        };

        var text = ManifestWriter.Write(config);
        var (read, errors) = ManifestReader.Read(text, "nuage.toml");

        Assert.Empty(errors);
        Assert.Contains("[apps.shop.autoscale]\nmin_instances = 1\nmax_instances = 4\nmin_flavor = \"nano\"\nmax_flavor = \"M\"\ntarget_cpu = 60\ntarget_p99_ms = 250.5\n", text, StringComparison.Ordinal);
        Assert.Equal(config.Apps[0].Autoscale, read!.Apps.Single(a => a.Name == "shop").Autoscale);
        Assert.False(read.Apps.Single(a => a.Name == "static").Autoscale!.Enabled);
        Assert.Equal(text, ManifestWriter.Write(read));
        Assert.Equal("1–4 instances, nano–M, cpu 60 %, p99 250.5 ms", read.Apps.Single(a => a.Name == "shop").Autoscale!.Describe());
    }

    [Fact]
    public void Read_BadAutoscaleSection_ReportsEachFieldWithItsPlace()
    {
        var (config, errors) = ManifestReader.Read("""
            [apps.web]
            runtime = "node"
            [apps.web.autoscale]
            max_instances = 0
            min_flavor = "huge"
            target_cpu = 150
            target_rsp = 3
            """, "nuage.toml");

        Assert.Null(config);
        var lines = errors.Select(e => e.ToString()).ToList();
        Assert.Contains(lines, l => l.StartsWith("3:1: apps.web.autoscale: \"min_instances\" is required", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("4:17: apps.web.autoscale.max_instances: 0 is out of range", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("5:14: apps.web.autoscale.min_flavor: \"huge\" is not a flavor", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("6:14: apps.web.autoscale.target_cpu: 150 is not accepted; use a percentage", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("apps.web.autoscale.target_rsp: unknown key \"target_rsp\"", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_NotToml_ReportsTheSyntaxErrorWithItsPlace()
    {
        var (config, errors) = ManifestReader.Read("[apps.web]\nruntime = = \"node\"\n", "nuage.toml");

        Assert.Null(config);
        Assert.StartsWith("2:", Assert.Single(errors.Take(1)).ToString(), StringComparison.Ordinal);
    }
}
