using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Nuage.Core.Api;
using Nuage.Core.Errors;

namespace Nuage.Server.Api;

/// <summary>Every failure leaves the API as application/problem+json (RFC 9457) with a stable code; never a stack trace.</summary>
internal static partial class Problems
{
    public static async Task HandleAsync(HttpContext context, Func<Task> next)
    {
        // Answer a declared oversized body before anything reads it, so the client gets a problem, not a reset.
        var sizeFeature = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>();
        if (context.GetEndpoint()?.Metadata.GetMetadata<BodyLimit>() is { } endpointLimit && sizeFeature is { IsReadOnly: false })
        {
            sizeFeature.MaxRequestBodySize = endpointLimit.Bytes;
        }

        var limit = sizeFeature?.MaxRequestBodySize;
        if (context.Request.ContentLength > limit)
        {
            await WriteAsync(context, StatusCodes.Status413PayloadTooLarge, ErrorCodes.PayloadTooLarge, $"The request body is {context.Request.ContentLength} bytes; this endpoint accepts at most {limit}.", null);
            return;
        }

        try
        {
            await next();
        }
        catch (NuageException e)
        {
            // The catalogue's status where it names one (oidc_issuer_failed is 502, invalid_oidc_provider 400), else the kind's.
            await WriteAsync(context, ErrorCodes.Find(e.Code)?.HttpStatusOverride ?? StatusOf(e.Kind), e.Code, e.Message, e.Errors.Count > 0 ? e.Errors : null);
        }
        catch (BadHttpRequestException e)
        {
            var (code, detail) = e.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? (ErrorCodes.PayloadTooLarge, "The request body is larger than this endpoint accepts.")
                : (e.InnerException is JsonException ? ErrorCodes.InvalidJson : ErrorCodes.InvalidRequest, Describe(e));
            await WriteAsync(context, e.StatusCode, code, detail, null);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nothing to answer.
        }
        catch (Exception e) when (IsDiskFull(e))
        {
            await WriteDiskFullAsync(context, e);
        }
        catch (Exception e)
        {
            var logger = (ILogger?)context.RequestServices.GetService(typeof(ILogger<NuageApi>));
            if (logger is not null)
            {
                LogUnexpected(logger, context.Request.Path, e);
            }

            await WriteAsync(context, 500, ErrorCodes.InternalError, "The server failed unexpectedly; its log has the details.", null);
        }
    }

    private static readonly object CodeKey = new();

    /// <summary>Set to a number of seconds before throwing a rate-limit error: the answer carries it as <c>Retry-After</c>.</summary>
    public static readonly object RetryAfterKey = new();

    /// <summary>The error code this request was answered with, if it failed (for the audit trail).</summary>
    public static string? CodeOf(HttpContext context) => context.Items[CodeKey] as string;

    /// <summary>The HTTP status of an error kind, from the catalogue (<see cref="ErrorKinds"/>, docs/errors.md).</summary>
    public static int StatusOf(ErrorKind kind) => ErrorKinds.Of(kind).HttpStatus;

    public static async Task WriteAsync(HttpContext context, int status, string code, string detail, IReadOnlyList<FieldError>? errors)
    {
        if (context.Response.HasStarted)
        {
            return;
        }

        context.Response.Clear();
        context.Response.StatusCode = status;
        context.Items[CodeKey] = code;
        if (status == StatusCodes.Status401Unauthorized)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
        }

        if (context.Items[RetryAfterKey] is int retryAfter)
        {
            context.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var problem = new ProblemDto
        {
            Title = ReasonPhrase(status),
            Status = status,
            Detail = detail,
            Code = code,
            Errors = errors,
        };
        await context.Response.WriteAsJsonAsync(problem, ApiJson.Options, "application/problem+json", context.RequestAborted);
    }

    private static string Describe(BadHttpRequestException e) => e.InnerException switch
    {
        JsonException json => $"The body is not valid JSON for this endpoint: {json.Message}",
        _ => e.Message,
    };

    private static string ReasonPhrase(int status) => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Error, Message = "Unexpected failure serving {Path}")]
    private static partial void LogUnexpected(ILogger logger, string path, Exception exception);
}
