using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;
using Nuage.Core.Apps;
using Nuage.Core.Auth;
using Nuage.Core.Errors;
using Nuage.Core.Logging;
using Nuage.Core.State;

namespace Nuage.Server.Mcp;

/// <summary>What one tool call is about, for governance: its app, the caller's stated intent, and idempotency.</summary>
internal sealed record ToolCall(string Tool)
{
    public string? App { get; init; }

    /// <summary>What the audit trail names when the call is not about an app (the add-on a create_addon makes).</summary>
    public string? Target { get; init; }

    public string? Intent { get; init; }

    public string? IdempotencyKey { get; init; }

    /// <summary>The call's arguments in a stable form, to recognise a replay with the same key.</summary>
    public string? Fingerprint { get; init; }

    /// <summary>deploy and rollback spend from their own, stricter budget.</summary>
    public bool DeployBudget { get; init; }
}

/// <summary>
/// Runs every tool call the same way: caller from the authenticated request, rate limit, argument limits on the
/// common fields, idempotency, then the work; maps failures to <c>{ code, message }</c> tool errors, and records a
/// structured platform event and metrics for each call. Authorisation stays in the application services.
/// </summary>
internal sealed partial class ToolRunner(
    IHttpContextAccessor http,
    McpRateLimiter limiter,
    IdempotencyCache idempotency,
    McpMetrics metrics,
    ILogSink sink,
    IStateStore store,
    Audit.AuditTrail trail,
    TimeProvider time,
    ILogger<ToolRunner> logger)
{
    public async Task<CallToolResult> RunAsync(ToolCall call, Func<Caller, Task<CallToolResult>> work, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var caller = McpHttpGate.Caller(http.HttpContext);
        CallToolResult result;
        try
        {
            result = await GovernedAsync(call, caller, work);
        }
        catch (NuageException e)
        {
            result = ToolResults.Error(ErrorKinds.Of(e.Kind).McpCode, e.Message);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // A tool never leaks an exception to the agent: it becomes an INTERNAL tool error, logged here.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogFailure(logger, call.Tool, e);
            result = ToolResults.Error(ErrorKinds.McpInternal, "The server failed unexpectedly; its log has the details.");
        }

        var duration = time.GetElapsedTime(started);
        var code = result.IsError == true && result.StructuredContent is { } s && s.TryGetProperty("code", out var c) ? c.GetString() : null;
        metrics.Record(call.Tool, code ?? "ok", duration.TotalMilliseconds);
        await AuditAsync(call, caller, duration, code);
        if (McpToolCatalog.IsMutating(call.Tool))
        {
            var outcome = code is null ? Core.Audit.AuditOutcomes.Success : code == ErrorKinds.McpInternal ? Core.Audit.AuditOutcomes.Failed : Core.Audit.AuditOutcomes.Refused;
            await trail.RecordAsync(caller, Core.Audit.AuditEntryPoints.Mcp, "tool " + call.Tool, call.App ?? call.Target, http.HttpContext?.TraceIdentifier ?? "-", outcome, code);
        }

        return result;
    }

    private async Task<CallToolResult> GovernedAsync(ToolCall call, Caller? caller, Func<Caller, Task<CallToolResult>> work)
    {
        if (caller is null)
        {
            throw NuageException.Unauthorized("This MCP call carries no authenticated token; connect with 'Authorization: Bearer <token>' or 'nuage mcp'.");
        }

        if (!limiter.TryAcquire(caller.TokenId, call.DeployBudget, out var retryAfter))
        {
            var what = call.DeployBudget ? "deploy/rollback calls" : "tool calls";
            throw new NuageException(ErrorKind.RateLimited, ErrorCodes.RateLimited,
                $"Too many {what} for token {caller.TokenId}; retry in {retryAfter.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s.");
        }

        var args = new ToolArgs();
        args.Text("intent", call.Intent, ToolLimits.Intent);
        if (args.Text("idempotencyKey", call.IdempotencyKey, ToolLimits.IdempotencyKey) is { } key && (key.Length == 0 || !key.All(IsKeyChar)))
        {
            args.Add("idempotencyKey", key, "use 1 to 128 characters among letters, digits and . _ : -");
        }

        args.ThrowIfAny();
        if (call.IdempotencyKey is null)
        {
            return await work(caller);
        }

        var (result, replayed) = await idempotency.RunAsync(caller.TokenId, call.Tool, call.IdempotencyKey, call.Fingerprint ?? string.Empty, () => work(caller));
        return replayed ? MarkReplayed(result) : result;
    }

    private static bool IsKeyChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or ':' or '-';

    private static CallToolResult MarkReplayed(CallToolResult result)
    {
        if (result.StructuredContent is not { } structured)
        {
            return result;
        }

        var node = System.Text.Json.Nodes.JsonNode.Parse(structured.GetRawText())!.AsObject();
        node["replayed"] = true;
        var element = System.Text.Json.JsonSerializer.SerializeToElement(node, ToolResults.Json);
        return new CallToolResult
        {
            StructuredContent = element,
            Content = [new TextContentBlock { Text = "Replayed: this idempotencyKey was already applied; nothing changed again.\n" + element.GetRawText() }],
            IsError = result.IsError,
        };
    }

    private async Task AuditAsync(ToolCall call, Caller? caller, TimeSpan duration, string? errorCode)
    {
        var tokenId = caller?.TokenId ?? "-";
        var ms = (long)duration.TotalMilliseconds;
        var intent = Sanitize(call.Intent);
        LogCall(logger, call.Tool, tokenId, call.App ?? "-", ms, errorCode is null, errorCode ?? "-", intent ?? "-");
        if (call.App is null || !AppNames.IsValid(call.App))
        {
            return;
        }

        var app = await store.Apps.FindByNameAsync(call.App, CancellationToken.None);
        if (app is null || caller is null || !caller.CanSee(app.OrgId))
        {
            return; // another organisation's app never hears of this caller
        }

        var message = new StringBuilder();
        message.Append(CultureInfo.InvariantCulture, $"mcp tool={call.Tool} tokenId={tokenId} app={app.Name} durationMs={ms} ok={(errorCode is null ? "true" : "false")}");
        if (errorCode is not null)
        {
            message.Append(CultureInfo.InvariantCulture, $" errorCode={errorCode}");
        }

        if (intent is not null)
        {
            message.Append(CultureInfo.InvariantCulture, $" intent=\"{intent}\"");
        }

        sink.Write(new LogRecord(time.GetUtcNow(), app.Id, LogSource.Platform, message.ToString()));
    }

    /// <summary>Caller-supplied text goes into one log line: no control characters, no quotes, bounded.</summary>
    private static string? Sanitize(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var clean = new string([.. text.Take(ToolLimits.Intent).Select(ch => char.IsControl(ch) || ch == '"' ? ' ' : ch)]);
        return clean.Trim();
    }

    [LoggerMessage(EventId = 7001, Level = LogLevel.Information,
        Message = "mcp call tool={Tool} tokenId={TokenId} app={App} durationMs={DurationMs} ok={Ok} errorCode={ErrorCode} intent={Intent}")]
    private static partial void LogCall(ILogger logger, string tool, string tokenId, string app, long durationMs, bool ok, string errorCode, string intent);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Error, Message = "MCP tool {Tool} failed unexpectedly")]
    private static partial void LogFailure(ILogger logger, string tool, Exception exception);
}
