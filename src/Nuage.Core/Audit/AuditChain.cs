using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Nuage.Core.Audit;

/// <summary>How entries are chained: SHA-256 over the previous hash and a canonical JSON array of the entry's fields.</summary>
public static class AuditChain
{
    /// <summary>The "previous hash" of the first entry.</summary>
    public static string Genesis { get; } = new('0', 64);

    public static string HashOf(AuditEntry entry, string previousHash)
    {
        string?[] fields =
        [
            previousHash,
            entry.Seq.ToString(CultureInfo.InvariantCulture),
            entry.At.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
            entry.Actor,
            entry.OrgId,
            entry.EntryPoint,
            entry.Action,
            entry.Target,
            entry.RequestId,
            entry.Outcome,
            entry.Detail,
        ];
        var canonical = JsonSerializer.Serialize(fields, AuditChainJson.Default.StringArray);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    /// <summary>The first entry that breaks the chain (edited, removed or reordered), or null when it is whole.</summary>
    public static AuditBreak? FirstBreak(IEnumerable<AuditEntry> entriesInOrder)
    {
        var previous = Genesis;
        var expectedSeq = 1L;
        foreach (var entry in entriesInOrder)
        {
            if (entry.Seq != expectedSeq)
            {
                return new AuditBreak(expectedSeq, $"entry {expectedSeq} is missing (next stored entry is {entry.Seq})");
            }

            if (entry.PreviousHash != previous)
            {
                return new AuditBreak(entry.Seq, $"entry {entry.Seq} does not follow entry {entry.Seq - 1} (previous hash differs)");
            }

            if (HashOf(entry, previous) != entry.Hash)
            {
                return new AuditBreak(entry.Seq, $"entry {entry.Seq} was changed after it was written (its hash does not match its content)");
            }

            previous = entry.Hash;
            expectedSeq++;
        }

        return null;
    }
}

public sealed record AuditBreak(long Seq, string Reason);

[System.Text.Json.Serialization.JsonSerializable(typeof(string?[]), TypeInfoPropertyName = "StringArray")]
internal sealed partial class AuditChainJson : System.Text.Json.Serialization.JsonSerializerContext;
