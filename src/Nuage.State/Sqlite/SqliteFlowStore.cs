using Nuage.Core.State;

namespace Nuage.State.Sqlite;

internal sealed class SqliteFlowStore(SqliteDb db) : SqliteAppDocuments(db, "app_flow"), IFlowStore;
