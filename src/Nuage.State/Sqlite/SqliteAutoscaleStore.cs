using Nuage.Core.State;

namespace Nuage.State.Sqlite;

internal sealed class SqliteAutoscaleStore(SqliteDb db) : SqliteAppDocuments(db, "app_autoscale"), IAutoscaleStore;
