using System.Diagnostics;
using System.Text;
using Microsoft.AspNetCore.Http;
using Nuage.Core.Auth;
using Nuage.Core.Errors;
using Nuage.Server.Git;

namespace Nuage.Server.Tests.Git;

public sealed class GitRemoteUnitTests
{
    [Theory]
    [InlineData("Bearer secret-1", "secret-1")]
    [InlineData("Basic bnVhZ2U6c2VjcmV0LTI=", "secret-2")] // nuage:secret-2
    [InlineData("Basic OnNlY3JldC0z", "secret-3")] // empty user name
    [InlineData("Basic !!!", null)]
    [InlineData("Digest x", null)]
    [InlineData(null, null)]
    public void TokenOf_ReadsBasicPasswordOrBearer(string? header, string? expected) =>
        Assert.Equal(expected, GitEndpoints.TokenOf(header));

    [Fact]
    public void Authorize_PushNeedsDeveloper_FetchNeedsViewer()
    {
        var viewer = new Caller("t1", Role.Viewer, "v");
        var developer = new Caller("t2", Role.Developer, "d");

        GitEndpoints.Authorize(viewer, GitEndpoints.ServiceOf("info/refs", "git-upload-pack"));
        GitEndpoints.Authorize(viewer, GitEndpoints.ServiceOf("git-upload-pack", default));
        GitEndpoints.Authorize(developer, GitEndpoints.ServiceOf("info/refs", "git-receive-pack"));
        var refused = Assert.Throws<NuageException>(() => GitEndpoints.Authorize(viewer, GitEndpoints.ServiceOf("info/refs", "git-receive-pack")));
        Assert.Equal(ErrorKind.Forbidden, refused.Kind);
        Assert.Throws<NuageException>(() => GitEndpoints.Authorize(viewer, GitEndpoints.ServiceOf("git-receive-pack", default)));
    }

    [Fact]
    public void ApplyHead_StatusContentTypeAndOtherHeaders()
    {
        var http = new DefaultHttpContext();

        CgiBridge.ApplyHead(http.Response, "Status: 403 Forbidden\r\nContent-Type: text/plain\r\nCache-Control: no-cache\r\n");

        Assert.Equal(403, http.Response.StatusCode);
        Assert.Equal("text/plain", http.Response.ContentType);
        Assert.Equal("no-cache", http.Response.Headers.CacheControl.ToString());
    }

    [Fact]
    public void NuageCommand_PrefersTheRunningApphost_ThenTheDllThroughDotnet()
    {
        var dir = Directory.CreateTempSubdirectory("nuage-cmd-");
        try
        {
            var env = new Dictionary<string, string?>();
            Assert.Equal(["/opt/nuage/nuage"], NuageCommand.Resolve("/opt/nuage/nuage", dir.FullName, env));
            Assert.Throws<InvalidOperationException>(() => NuageCommand.Resolve("/usr/bin/dotnet", dir.FullName, env));

            var dll = Path.Combine(dir.FullName, "nuage.dll");
            File.WriteAllText(dll, "");
            Assert.Equal(["/usr/bin/dotnet", dll], NuageCommand.Resolve("/usr/bin/dotnet", dir.FullName, env));
            Assert.Equal(["/x/dotnet", dll], NuageCommand.Resolve("/x/testhost", dir.FullName, new Dictionary<string, string?> { ["DOTNET_HOST_PATH"] = "/x/dotnet" }));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task DeployHook_RunsTheCommandOnlyForMainAndMaster_WithQuotedArguments()
    {
        var dir = Directory.CreateTempSubdirectory("nuage-hook-");
        try
        {
            // A stand-in for nuage that records its arguments: the hook's contract is the command line it builds.
            var recorder = Path.Combine(dir.FullName, "record it.sh");
            File.WriteAllText(recorder, "#!/bin/sh\nfor a in \"$@\"; do printf '[%s]' \"$a\"; done >> \"$OUT\"; echo >> \"$OUT\"\n");
            File.SetUnixFileMode(recorder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var hook = Path.Combine(dir.FullName, "post-receive");
            File.WriteAllText(hook, DeployHook.Script(["/bin/sh", recorder, "it's"]));
            File.SetUnixFileMode(hook, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var output = Path.Combine(dir.FullName, "out.txt");
            var sha = new string('a', 40);
            var zero = new string('0', 40);

            var info = new ProcessStartInfo(hook) { WorkingDirectory = dir.FullName, RedirectStandardInput = true };
            info.Environment["OUT"] = output;
            info.Environment["NUAGE_APP"] = "demo";
            using var process = Process.Start(info)!;
            await process.StandardInput.WriteAsync(new StringBuilder()
                .Append($"{zero} {sha} refs/heads/feature\n")
                .Append($"{zero} {sha} refs/heads/main\n")
                .Append($"{sha} {zero} refs/heads/master\n") // deleted: nothing to deploy
                .ToString());
            process.StandardInput.Close();
            await process.WaitForExitAsync();

            Assert.Equal(0, process.ExitCode);
            var calls = File.ReadAllLines(output);
            var call = Assert.Single(calls);
            Assert.Equal($"[it's][deploy][--app][demo][--commit][{sha}][--git-dir][{dir.FullName}]", call);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
