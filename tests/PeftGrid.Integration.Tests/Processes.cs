using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace PeftGrid.Integration.Tests;

/// <summary>Child processes for the tests: a throwaway redis-server and silo processes, loopback only.</summary>
public static class Processes
{
    public static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "PeftGrid.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("repo root not found");
    }

    public static string SiloDll()
    {
        var config = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        var path = Path.Combine(RepoRoot(), "silo", "PeftGrid.Silo", "bin", config, "net10.0", "PeftGrid.Silo.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"build the silo first: {path}");
    }

    public static Task<Process> StartRedisAsync(int port) => StartRedisAsync(port, appendOnlyDir: null);

    /// <summary>A redis-server on 127.0.0.1:<paramref name="port"/>; with <paramref name="appendOnlyDir"/>, persistent: AOF on with
    /// <c>appendfsync always</c> (every acknowledged write survives a SIGKILL) in that directory; else nothing is persisted.</summary>
    public static async Task<Process> StartRedisAsync(int port, string? appendOnlyDir)
    {
        var persistence = appendOnlyDir is null
            ? "--appendonly no"
            : $"--appendonly yes --appendfsync always --dir \"{Directory.CreateDirectory(appendOnlyDir).FullName}\"";
        var p = Process.Start(new ProcessStartInfo("redis-server", $"--bind 127.0.0.1 --port {port} --save \"\" {persistence}")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        })!;
        p.OutputDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var c = new TcpClient();
                await c.ConnectAsync(IPAddress.Loopback, port);
                return p;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }
        p.Kill();
        throw new TimeoutException("redis-server did not start");
    }

    /// <summary>Runs <c>redis-cli -p PORT ARGS</c> and returns its output (trimmed); throws on a non-zero exit.</summary>
    public static async Task<string> RedisCliAsync(int port, params string[] args)
    {
        var psi = new ProcessStartInfo("redis-cli") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in (string[])["-h", "127.0.0.1", "-p", port.ToString(), .. args])
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi)!;
        var output = await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        return p.ExitCode == 0 ? output.Trim() : throw new InvalidOperationException($"redis-cli {string.Join(' ', args)}: {await p.StandardError.ReadToEndAsync()}");
    }

    /// <summary>SIGKILLs <paramref name="redis"/> and starts a new redis-server on the same port (and AOF directory, if any).</summary>
    public static async Task<Process> RestartRedisAsync(Process redis, int port, string? appendOnlyDir)
    {
        redis.Kill();
        await redis.WaitForExitAsync();
        redis.Dispose();
        return await StartRedisAsync(port, appendOnlyDir);
    }

    /// <summary>A silo process started from the built dll with environment configuration.</summary>
    public sealed class Silo : IDisposable
    {
        private readonly TaskCompletionSource started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly StringBuilder log = new();

        public Silo(IReadOnlyDictionary<string, string> env)
        {
            var psi = new ProcessStartInfo("dotnet", $"\"{SiloDll()}\"")
            {
                RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
                WorkingDirectory = Path.GetTempPath(),
            };
            psi.Environment.Remove("PEFTGRID_REDIS");
            psi.Environment.Remove("PEFTGRID_REDIS_FILE");
            foreach (var (k, v) in env)
            {
                psi.Environment[k] = v;
            }
            Process = Process.Start(psi)!;
            Process.OutputDataReceived += (_, e) => Line(e.Data);
            Process.ErrorDataReceived += (_, e) => Line(e.Data);
            Process.BeginOutputReadLine();
            Process.BeginErrorReadLine();
        }

        public Process Process { get; }

        public string Log { get { lock (log) { return log.ToString(); } } }

        private void Line(string? line)
        {
            if (line is null)
            {
                return;
            }
            lock (log)
            {
                log.AppendLine(line);
            }
            if (line.Contains("peftgrid-silo: started", StringComparison.Ordinal))
            {
                started.TrySetResult();
            }
        }

        public async Task WaitStartedAsync(TimeSpan timeout)
        {
            var exited = Process.WaitForExitAsync();
            var first = await Task.WhenAny(started.Task, exited, Task.Delay(timeout));
            if (first != started.Task)
            {
                throw new InvalidOperationException($"silo did not start (exited: {Process.HasExited}):\n{Log}");
            }
        }

        /// <summary>SIGKILL (no shutdown of any kind) and wait for the exit.</summary>
        public async Task KillAsync()
        {
            if (!Process.HasExited)
            {
                Process.Kill();
                await Process.WaitForExitAsync();
            }
        }

        /// <summary>SIGTERM and wait for a graceful exit.</summary>
        public async Task StopAsync(TimeSpan timeout)
        {
            if (Process.HasExited)
            {
                return;
            }
            using (var kill = Process.Start("kill", $"-TERM {Process.Id}")!)
            {
                await kill.WaitForExitAsync();
            }
            using var cts = new CancellationTokenSource(timeout);
            try
            {
                await Process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                Process.Kill(true);
            }
        }

        public void Dispose()
        {
            if (!Process.HasExited)
            {
                Process.Kill(true);
            }
            Process.Dispose();
        }
    }
}
