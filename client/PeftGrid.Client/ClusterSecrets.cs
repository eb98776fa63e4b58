using System.Collections.Concurrent;

namespace PeftGrid.Client;

/// <summary>
/// Secrets (the Redis connection string, a certificate password) read from a value, an environment variable or a file
/// (e.g. a mounted Kubernetes Secret), and kept out of output: every secret read here (of a Redis connection string: its
/// password) is registered, and
/// <see cref="Redact"/> replaces it in any text before it is printed.
/// </summary>
public static class ClusterSecrets
{
    /// <summary>Environment variable holding the Redis connection string (CLI and silo).</summary>
    public const string RedisVariable = "PEFTGRID_REDIS";
    /// <summary>Environment variable naming a file that holds the Redis connection string (CLI and silo).</summary>
    public const string RedisFileVariable = "PEFTGRID_REDIS_FILE";

    private static readonly ConcurrentDictionary<string, bool> Known = new(StringComparer.Ordinal);

    /// <summary>The Redis connection string: <paramref name="value"/> (command line / configuration), else the contents of
    /// <paramref name="file"/>, else <c>$PEFTGRID_REDIS</c>, else the contents of <c>$PEFTGRID_REDIS_FILE</c>; null if none is set.</summary>
    /// <param name="value">Explicit connection string, e.g. <c>--redis</c>.</param>
    /// <param name="file">Explicit file, e.g. <c>--redis-file</c>.</param>
    /// <param name="environment">Environment lookup (null = the process environment).</param>
    /// <exception cref="ArgumentException">Both a value and a file were given at the same level.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is empty.</exception>
    public static string? Redis(string? value, string? file, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var redis = Load(value, file, "--redis", "--redis-file")
                    ?? Load(environment(RedisVariable), environment(RedisFileVariable), RedisVariable, RedisFileVariable);
        if (redis is not null)
        {
            RegisterRedis(redis);
        }
        return redis;
    }

    /// <summary>A secret from <paramref name="value"/> or the trimmed contents of <paramref name="file"/>, registered for
    /// <see cref="Redact"/>; null if neither is set.</summary>
    /// <param name="value">The secret itself.</param>
    /// <param name="file">A file holding it (trailing newlines are dropped, as in a Kubernetes Secret written by hand).</param>
    /// <param name="valueName">Name of the value's setting, for errors.</param>
    /// <param name="fileName">Name of the file's setting, for errors.</param>
    /// <exception cref="ArgumentException">Both were given.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is empty.</exception>
    public static string? Read(string? value, string? file, string valueName, string fileName)
    {
        var secret = Load(value, file, valueName, fileName);
        if (secret is not null)
        {
            Register(secret);
        }
        return secret;
    }

    private static string? Load(string? value, string? file, string valueName, string fileName)
    {
        value = string.IsNullOrWhiteSpace(value) ? null : value.Trim();
        file = string.IsNullOrWhiteSpace(file) ? null : file.Trim();
        if (value is not null && file is not null)
        {
            throw new ArgumentException($"{valueName} and {fileName} are both set: give only one");
        }
        if (file is not null)
        {
            if (!File.Exists(file))
            {
                throw new FileNotFoundException($"{fileName}: file not found: {file}", file);
            }
            value = File.ReadAllText(file).Trim();
            if (value.Length == 0)
            {
                throw new InvalidDataException($"{fileName}: file is empty: {file}");
            }
        }
        return value;
    }

    /// <summary>Registers a secret so that <see cref="Redact"/> hides it.</summary>
    public static void Register(string secret)
    {
        if (secret.Length > 0)
        {
            Known[secret] = true;
        }
    }

    /// <summary>Registers the password of a Redis connection string (<c>password=…</c>); the endpoints stay printable.</summary>
    public static void RegisterRedis(string connectionString)
    {
        foreach (var part in connectionString.Split(','))
        {
            var eq = part.IndexOf('=');
            if (eq > 0 && part[..eq].Trim().Equals("password", StringComparison.OrdinalIgnoreCase) && part[(eq + 1)..].Trim().Length > 0)
            {
                Known[part[(eq + 1)..].Trim()] = true;
            }
        }
    }

    /// <summary><paramref name="text"/> with every registered secret replaced by <c>***</c>.</summary>
    public static string Redact(string text)
    {
        foreach (var secret in Known.Keys.OrderByDescending(s => s.Length))
        {
            text = text.Replace(secret, "***", StringComparison.Ordinal);
        }
        return text;
    }
}
