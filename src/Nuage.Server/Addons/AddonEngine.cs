using System.Globalization;
using Nuage.Core.Addons;
using Nuage.Core.Api;
using Nuage.Core.State;

namespace Nuage.Server.Addons;

/// <summary>What an engine needs to configure and start one add-on's server.</summary>
/// <param name="ConfigDirectory">Written by Nuage (root's), mounted read-only in the sandbox.</param>
/// <param name="DataDirectory">The add-on uid's own folder, the only one its server writes.</param>
/// <param name="Port">The port the server listens on (loopback inside its network namespace).</param>
internal sealed record AddonContext(AddonRecord Addon, AddonPlan Plan, string ConfigDirectory, string DataDirectory, int Port, int? Uid);

/// <summary>
/// How one type of database is set up, started and reached. Commands run inside the add-on's sandbox with bash; the
/// password reaches them only in <see cref="PasswordVariable"/> (sandbox environment, never a command line or a file
/// outside the add-on's own data folder).
/// </summary>
internal abstract class AddonEngine
{
    /// <summary>The environment variable carrying the password into the sandbox.</summary>
    public const string PasswordVariable = "NUAGE_ADDON_PASSWORD";

    public abstract AddonType Type { get; }

    /// <summary>Writes the configuration files into <see cref="AddonContext.ConfigDirectory"/> (before every start).</summary>
    public abstract void WriteConfig(AddonContext context);

    /// <summary>Initialises the data folder on the first start (idempotent); null when nothing is needed.</summary>
    public abstract string? InitCommand(AddonContext context);

    /// <summary>Runs the server in the foreground (exec), listening on 127.0.0.1:port.</summary>
    public abstract string ServerCommand(AddonContext context);

    /// <summary>Extra sandbox environment the server needs besides PATH, HOME and the password.</summary>
    public virtual IReadOnlyDictionary<string, string> Environment(AddonContext context) => new Dictionary<string, string>();

    /// <summary>The variables a linked app gets (Clever Cloud's names, plus Heroku's URL convention).</summary>
    public abstract IReadOnlyDictionary<string, string> LinkVariables(AddonRecord addon, string host, int port, string password);

    /// <summary>True once a server that accepts TCP connections also answers queries (PostgreSQL accepts while it is still starting up).</summary>
    public virtual Task<bool> AnswersAsync(string host, int port, CancellationToken cancellationToken) => Task.FromResult(true);

    /// <summary>
    /// First step of a rotation: adds a second credential with <paramref name="newPassword"/> on the live server while
    /// the current one (<see cref="AddonRecord.Username"/>, <paramref name="password"/>) keeps working, so apps still
    /// on the old variables open connections as before. Returns the user of the new credential.
    /// </summary>
    public abstract Task<string> AddCredentialAsync(AddonRecord addon, string host, int port, string password, string newPassword, CancellationToken cancellationToken);

    /// <summary>
    /// Last step of a rotation, once linked apps run with the new variables: the old credential stops opening
    /// connections. <paramref name="addon"/> carries the new user; connects with <paramref name="password"/> (the new one).
    /// </summary>
    public abstract Task RevokeCredentialAsync(AddonRecord addon, string host, int port, string password, string oldUser, string oldPassword, CancellationToken cancellationToken);

    /// <summary>A fresh login name for a rotation (letters and digits: no quoting needed in SQL).</summary>
    protected static string NewUser() => "u" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6));

    /// <summary>Client connections open on the server (the asking one excluded), or null when the server does not say.</summary>
    public abstract Task<int?> ConnectionsAsync(AddonRecord addon, string host, int port, string password, CancellationToken cancellationToken);

    /// <summary>
    /// Refuses (or allows again) writes to the add-on's database when it goes over (or back under) its disk quota.
    /// Returns false when the type has no such switch (the quota is then shown, not enforced).
    /// </summary>
    public virtual Task<bool> SetReadOnlyAsync(AddonRecord addon, string host, int port, string password, bool readOnly, CancellationToken cancellationToken) =>
        Task.FromResult(false);

    /// <summary>The first number in a client's output (a count it printed), or null.</summary>
    protected static int? FirstNumber(string output)
    {
        var match = System.Text.RegularExpressions.Regex.Match(output, "[0-9]+");
        return match.Success && int.TryParse(match.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
    }

    /// <summary>The extension of this type's backup files.</summary>
    public abstract string BackupExtension { get; }

    /// <summary>Writes a consistent backup of the live database to <paramref name="file"/> (the server keeps running).</summary>
    public abstract Task BackupAsync(AddonRecord addon, string host, int port, string password, string file, CancellationToken cancellationToken);

    /// <summary>Loads a backup (already checksum-verified) into the running add-on, replacing what it contains.</summary>
    public abstract Task RestoreAsync(AddonRecord addon, string host, int port, string password, string file, CancellationToken cancellationToken);

    /// <summary>
    /// Logs in to the live source of an import and counts its rows per table (Redis: its keys): proves the URL works
    /// before anything is changed. A refused login, an unknown host or database is an <c>addon_import_failed</c> naming "from".
    /// </summary>
    public abstract Task<IReadOnlyList<ImportCount>> CountSourceAsync(AddonSourceUrl source, CancellationToken cancellationToken);

    /// <summary>
    /// Copies the source into the running add-on and checks every table's row count against <paramref name="expected"/>.
    /// On any failure the add-on is left with the data it had (each engine says how) and an <c>addon_import_failed</c> is thrown.
    /// </summary>
    public abstract Task<IReadOnlyList<AddonImportTableDto>> ImportAsync(AddonImportJob job, IReadOnlyList<ImportCount> expected, CancellationToken cancellationToken);

    /// <summary>
    /// Loads an uploaded dump file (already recognised as <see cref="AddonFileImportJob.Format"/>) into the running add-on,
    /// checking the rows the file holds where it says (PostgreSQL COPY blocks, MariaDB INSERT lines, Redis keys). The
    /// file is tenant content: no client command in it runs on the host. On any failure the add-on keeps its data.
    /// </summary>
    public abstract Task<IReadOnlyList<AddonImportTableDto>> ImportFileAsync(AddonFileImportJob job, CancellationToken cancellationToken);

    /// <summary>True when the server binary of the type's Debian package is installed.</summary>
    public bool IsInstalled => File.Exists(Type.ServerBinary);

    protected static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    protected static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    protected static void Write(string directory, string file, string text) =>
        File.WriteAllText(Path.Combine(directory, file), text.ReplaceLineEndings("\n"));
}
