using Nuage.Core.State;
using Nuage.State.Sqlite;

namespace Nuage.Logs.Tests.Support;

/// <summary>Drain definitions in a real state store (nuage.db in the test's directory), as the server keeps them.</summary>
internal static class DrainDefinitions
{
    public static IDrainStore Open(TempDir dir) => SqliteStateStore.Open(dir.Sub("nuage.db")).Drains;
}
