using Microsoft.AspNetCore.Http;
using PeftGrid.Client;
using PeftGrid.Contracts.Json;

namespace PeftGrid.Dashboard.Api;

/// <summary>The API's answers: values as JSON with <see cref="PeftGridJson.Options"/>, errors as <c>{ "error": "one line" }</c>, and
/// the one mapping of exceptions to status codes (<see cref="Guard"/>).</summary>
public static class DashboardJson
{
    /// <summary>200 with <paramref name="value"/>.</summary>
    public static IResult Ok<T>(T value) => Results.Json(value, PeftGridJson.Options);

    /// <summary><paramref name="status"/> with <c>{ "error": message }</c> (one line, secrets redacted).</summary>
    public static IResult Error(int status, string message) =>
        Results.Json(new DashboardError(ClusterSecrets.Redact(message.ReplaceLineEndings(" "))), PeftGridJson.Options, statusCode: status);

    /// <summary>An endpoint filter: a bad query value → 400, an unknown sweep/cell/board → 404, a grain's own refusal
    /// (<see cref="ArgumentException"/>) → 400, a route the cluster does not implement yet → 501, the cluster unreachable → 503.</summary>
    public static async ValueTask<object?> Guard(EndpointFilterInvocationContext ctx, EndpointFilterDelegate next)
    {
        try
        {
            return await next(ctx);
        }
        catch (DashboardQueryException e)
        {
            return Error(StatusCodes.Status400BadRequest, e.Message);
        }
        catch (KeyNotFoundException e)
        {
            return Error(StatusCodes.Status404NotFound, e.Message);
        }
        catch (ArgumentException e)
        {
            return Error(e.Message.StartsWith("unknown", StringComparison.Ordinal) ? StatusCodes.Status404NotFound : StatusCodes.Status400BadRequest, e.Message);
        }
        catch (NotImplementedException e)
        {
            return Error(StatusCodes.Status501NotImplemented, e.Message);
        }
        catch (Exception e) when (Unreachable(e) && !ctx.HttpContext.RequestAborted.IsCancellationRequested)
        {
            return Error(StatusCodes.Status503ServiceUnavailable, $"cluster unreachable: {e.GetBaseException().Message}");
        }
    }

    private static bool Unreachable(Exception e) =>
        e is TimeoutException
        || e.GetType().FullName?.StartsWith("Orleans.", StringComparison.Ordinal) == true;
}
