using Nuage.Core.Errors;
using Nuage.Server.Addons;

namespace Nuage.Server.Tests.Addons;

/// <summary>The per-table check after a copy: every table whose count differs is named, with both counts.</summary>
public sealed class AddonImportVerifyTests
{
    [Fact]
    public void Verify_EqualCounts_ReturnsEveryTable()
    {
        var tables = AddonImportErrors.Verify([new("public.items", 3), new("public.orders", 0)], [new("public.orders", 0), new("public.items", 3), new("public.kept", 9)]);

        Assert.Equal(["public.items", "public.orders"], tables.Select(t => t.Name));
        Assert.All(tables, t => Assert.Equal(t.SourceRows, t.ImportedRows));
    }

    [Fact]
    public void Verify_MissingOrShortTables_FailNamingEachTable()
    {
        var error = Assert.Throws<NuageException>(() => AddonImportErrors.Verify([new("items", 3), new("orders", 2), new("ok", 1)], [new("items", 2), new("ok", 1)]));

        Assert.Equal(ErrorCodes.AddonImportFailed, error.Code);
        Assert.Contains("table items has 2 rows, the source has 3", error.Message, StringComparison.Ordinal);
        Assert.Contains("table orders is missing in the add-on (source has 2 rows)", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("table ok", error.Message, StringComparison.Ordinal);
    }
}
