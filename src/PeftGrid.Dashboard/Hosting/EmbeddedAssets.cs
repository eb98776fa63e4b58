using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.StaticFiles;

namespace PeftGrid.Dashboard.Hosting;

/// <summary>The page and its assets, from this assembly's embedded resources <c>wwwroot/...</c> (no files on disk, no CDN), each
/// with its content type and a strong ETag (clients revalidate with <c>If-None-Match</c> and get 304 while it is unchanged).</summary>
public sealed class EmbeddedAssets
{
    private sealed record Asset(byte[] Bytes, string ContentType, string ETag);

    private readonly FrozenDictionary<string, Asset> assets;

    private EmbeddedAssets(FrozenDictionary<string, Asset> assets) => this.assets = assets;

    /// <summary>The assets of the dashboard assembly.</summary>
    public static EmbeddedAssets Default { get; } = Load(typeof(EmbeddedAssets).Assembly);

    /// <summary>Paths held, relative to <c>wwwroot/</c>.</summary>
    public IEnumerable<string> Paths => assets.Keys;

    /// <summary>Reads every <c>wwwroot/</c> resource of <paramref name="assembly"/>.</summary>
    public static EmbeddedAssets Load(Assembly assembly)
    {
        var types = new FileExtensionContentTypeProvider();
        var map = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("wwwroot/", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var bytes = copy.ToArray();
            var path = name["wwwroot/".Length..];
            var type = types.TryGetContentType(path, out var t) ? t : "application/octet-stream";
            type = type.StartsWith("text/", StringComparison.Ordinal) || type.EndsWith("javascript", StringComparison.Ordinal) ? type + "; charset=utf-8" : type;
            map[path] = new Asset(bytes, type, $"\"{Convert.ToHexStringLower(SHA256.HashData(bytes))[..16]}\"");
        }
        return new EmbeddedAssets(map.ToFrozenDictionary(StringComparer.Ordinal));
    }

    /// <summary>The asset at <paramref name="path"/> (relative to <c>wwwroot/</c>): 200 with <c>Cache-Control: no-cache</c> and its
    /// ETag, 304 when the request's <c>If-None-Match</c> holds it, 404 when there is none.</summary>
    public IResult Serve(HttpContext context, string path)
    {
        if (!assets.TryGetValue(path, out var asset))
        {
            return Results.Json(new Api.DashboardError($"no asset '{path}'"), Contracts.Json.PeftGridJson.Options, statusCode: StatusCodes.Status404NotFound);
        }
        var headers = context.Response.Headers;
        headers.ETag = asset.ETag;
        headers.CacheControl = "no-cache";
        headers.XContentTypeOptions = "nosniff";
        if (context.Request.Headers.IfNoneMatch.Any(v => v is not null && v.Split(',').Any(e => e.Trim() == asset.ETag || e.Trim() == "*")))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }
        return Results.Bytes(asset.Bytes, asset.ContentType);
    }
}
