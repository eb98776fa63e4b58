using PeftGrid.Client;
using Xunit;

namespace PeftGrid.Client.Tests;

/// <summary>Where the Redis connection string comes from, and what is redacted.</summary>
public class ClusterSecretsTests
{
    private static string TempFile(string text)
    {
        var path = Path.Combine(Path.GetTempPath(), $"peftgrid-secret-{Guid.NewGuid():N}");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void ExplicitBeatsFileBeatsVariableBeatsVariableFile()
    {
        var file = TempFile("from-file:1\n");
        var envFile = TempFile("from-env-file:2\n");
        var env = new Dictionary<string, string?> { ["PEFTGRID_REDIS"] = "from-env:3", ["PEFTGRID_REDIS_FILE"] = envFile };
        Assert.Equal("explicit:4", ClusterSecrets.Redis("explicit:4", null, k => env.GetValueOrDefault(k)));
        Assert.Equal("from-file:1", ClusterSecrets.Redis(null, file, k => env.GetValueOrDefault(k)));
        Assert.Throws<ArgumentException>(() => ClusterSecrets.Redis(null, null, k => env.GetValueOrDefault(k))); // both variables set
        env.Remove("PEFTGRID_REDIS");
        Assert.Equal("from-env-file:2", ClusterSecrets.Redis(null, null, k => env.GetValueOrDefault(k)));
        Assert.Null(ClusterSecrets.Redis(null, "  ", _ => null));
    }

    [Fact]
    public void BadFilesAreOneLineErrorsNamingTheSetting()
    {
        Assert.Equal("--redis-file: file not found: /nonexistent/x", Assert.Throws<FileNotFoundException>(() => ClusterSecrets.Redis(null, "/nonexistent/x", _ => null)).Message);
        var empty = TempFile("\n");
        Assert.Equal($"--redis-file: file is empty: {empty}", Assert.Throws<InvalidDataException>(() => ClusterSecrets.Redis(null, empty, _ => null)).Message);
    }

    [Fact]
    public void OnlyTheRedisPasswordIsRedactedNotTheEndpoint()
    {
        var password = $"s3cret{Guid.NewGuid():N}";
        ClusterSecrets.Redis($"10.0.0.7:6379,password={password},ssl=false", null, _ => null);
        Assert.Equal("AuthenticationFailure on 10.0.0.7:6379 with ***", ClusterSecrets.Redact($"AuthenticationFailure on 10.0.0.7:6379 with {password}"));
    }
}
