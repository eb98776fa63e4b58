using System.Diagnostics;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using PeftGrid.Silo.Hosting;
using Xunit;
using Xunit.Abstractions;

namespace PeftGrid.Integration.Tests.Operations;

/// <summary>eng/docker/Dockerfile: static checks that always run, and a real <c>docker build</c> + run when a Docker engine
/// answers (<c>docker info</c>); otherwise that test prints why it skipped.</summary>
public sealed partial class DockerImageTests(ITestOutputHelper output)
{
    private static readonly string Repo = Processes.RepoRoot();
    private static readonly string DockerfilePath = Path.Combine(Repo, "eng", "docker", "Dockerfile");

    /// <summary>The Dockerfile's instructions (continuation lines joined, comments dropped) as (keyword, rest).</summary>
    private static List<(string Op, string Args)> Instructions()
    {
        var joined = Regex.Replace(File.ReadAllText(DockerfilePath), @"\\\r?\n", " ");
        return joined.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split(' ', 2)).Select(p => (p[0].ToUpperInvariant(), p.Length > 1 ? p[1].Trim() : "")).ToList();
    }

    /// <summary>The project files <paramref name="project"/> needs (itself and its ProjectReference closure), relative to the repo.</summary>
    private static HashSet<string> Closure(string project)
    {
        var seen = new HashSet<string>();
        var todo = new Stack<string>([Path.GetFullPath(Path.Combine(Repo, project))]);
        while (todo.TryPop(out var p))
        {
            if (!seen.Add(Path.GetRelativePath(Repo, p)))
            {
                continue;
            }
            foreach (var r in XDocument.Load(p).Descendants("ProjectReference"))
            {
                todo.Push(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(p)!, (string)r.Attribute("Include")!)));
            }
        }
        return seen;
    }

    [Fact]
    public void TheDockerfileRestoresFromTheBuildSettingsFirstAndPublishesTheSiloAndTheCli()
    {
        var ins = Instructions();
        var froms = ins.Where(i => i.Op == "FROM").Select(i => i.Args).ToList();
        Assert.Contains("mcr.microsoft.com/dotnet/sdk:${DOTNET_TAG} AS build", froms);
        Assert.Contains("mcr.microsoft.com/dotnet/aspnet:${DOTNET_TAG} AS runtime-cpu", froms);
        Assert.Contains("${CUDA_BASE} AS runtime-cuda", froms);
        Assert.Equal("runtime-${TORCH} AS final", froms[^1]);                  // the final stage follows the TORCH build argument
        Assert.Contains(ins, i => i.Op == "ARG" && i.Args == "TORCH=cpu");

        var restore = ins.FindIndex(i => i.Op == "RUN" && i.Args.Contains("dotnet restore"));
        Assert.True(restore > 0, "no dotnet restore");
        Assert.Contains("-p:PeftGridTorchBackend=$TORCH", ins[restore].Args);
        var copiedBefore = ins.Take(restore).Where(i => i.Op == "COPY").SelectMany(i => i.Args.Split(' ')[..^1]).ToHashSet();
        foreach (var f in new[] { "global.json", "Directory.Build.props", "Directory.Packages.props" })
        {
            Assert.Contains(f, copiedBefore);
        }
        // Every project of the silo's and the CLI's closure is copied before the restore, and every copied path exists.
        var published = ins.Where(i => i.Op == "RUN").SelectMany(i => PublishRegex().Matches(i.Args)).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["silo/PeftGrid.Silo/PeftGrid.Silo.csproj", "client/PeftGrid.Cli/PeftGrid.Cli.csproj"], published);
        foreach (var project in published.SelectMany(Closure))
        {
            Assert.Contains(project, copiedBefore);
        }
        foreach (var copied in ins.Where(i => i.Op == "COPY" && !i.Args.StartsWith("--from", StringComparison.Ordinal)).SelectMany(i => i.Args.Split(' ')[..^1]))
        {
            Assert.True(File.Exists(Path.Combine(Repo, copied)) || Directory.Exists(Path.Combine(Repo, copied)), $"COPY {copied}: not in the repo");
        }
        var publish = ins.Single(i => i.Op == "RUN" && i.Args.Contains("dotnet publish")).Args;
        Assert.Equal(2, Regex.Matches(publish, "-p:PeftGridTorchBackend=\\$TORCH -p:UseAppHost=false -o /app").Count);
        Assert.Contains("<PeftGridTorchBackend ", File.ReadAllText(Path.Combine(Repo, "Directory.Build.props")));
        // The image's entry point is the silo's assembly in /app.
        Assert.Equal($"[\"dotnet\", \"/app/{typeof(SiloHost).Assembly.GetName().Name}.dll\"]", ins.Last(i => i.Op == "ENTRYPOINT").Args);
        // The build context leaves build outputs out.
        var ignore = File.ReadAllLines(DockerfilePath + ".dockerignore");
        Assert.Contains("**/bin/", ignore);
        Assert.Contains("**/obj/", ignore);
    }

    [Fact]
    public void TheImageRunsAsNonRootWithLoopbackDashboardsAndAReadinessHealthcheck()
    {
        var ins = Instructions();
        var final = ins.FindLastIndex(i => i.Op == "FROM");
        var user = ins.Skip(final).Last(i => i.Op == "USER").Args;
        Assert.True(int.TryParse(user, out var uid) && uid > 0, $"USER {user}: want a numeric non-root uid (Kubernetes runAsNonRoot checks it)");
        var env = string.Join(' ', ins.Skip(final).Where(i => i.Op == "ENV").Select(i => i.Args));
        Assert.Contains("PeftGrid__Dashboard__Host=127.0.0.1", env);
        var port = Regex.Match(env, @"PeftGrid__Health__Port=(\d+)").Groups[1].Value;
        Assert.Equal("8081", port);
        var healthcheck = ins.Single(i => i.Op == "HEALTHCHECK").Args;
        Assert.Contains($"/dev/tcp/127.0.0.1/{port}", healthcheck);
        Assert.Contains($"GET {SiloOperations.ReadinessPath} ", healthcheck);
        var expose = ins.Single(i => i.Op == "EXPOSE").Args.Split(' ');
        var defaults = new SiloSettings();
        Assert.Equal([defaults.SiloPort.ToString(), defaults.GatewayPort.ToString(), defaults.Dashboard.Port.ToString(), port], expose);
        // The libstdc++ check (GLIBCXX_3.4.32, TorchSharp's native library) is in the final stage.
        Assert.Contains(ins.Skip(final), i => i.Op == "RUN" && i.Args.Contains("GLIBCXX_3\\.4\\.32"));
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task DockerImageBuildsWhenAnEngineIsAvailable()
    {
        var info = await DockerAsync(TimeSpan.FromSeconds(30), "info", "--format", "{{.ServerVersion}}");
        if (info.ExitCode != 0)
        {
            output.WriteLine($"SKIPPED: no Docker engine (`docker info` exited {info.ExitCode}: {info.Output.Trim().Split('\n')[^1]}); " +
                             "the static Dockerfile checks ran instead");
            return;
        }
        var tag = $"peftgrid-test:{Guid.NewGuid():N}"[..26];
        var build = await DockerAsync(TimeSpan.FromMinutes(45), "build", "-f", DockerfilePath, "-t", tag, Repo);
        Assert.True(build.ExitCode == 0, build.Output);
        var name = $"peftgrid-test-{Guid.NewGuid():N}"[..24];
        var run = await DockerAsync(TimeSpan.FromMinutes(1), "run", "-d", "--name", name, "-e", "PeftGrid__Runner=fake", tag);
        Assert.True(run.ExitCode == 0, run.Output);
        try
        {
            var health = "";
            for (var deadline = DateTime.UtcNow.AddMinutes(3); DateTime.UtcNow < deadline && health != "healthy"; await Task.Delay(2000))
            {
                health = (await DockerAsync(TimeSpan.FromSeconds(30), "inspect", "--format", "{{.State.Health.Status}}", name)).Output.Trim();
            }
            var logs = await DockerAsync(TimeSpan.FromSeconds(30), "logs", name);
            Assert.True(health == "healthy", $"container health '{health}':\n{logs.Output}");
            Assert.Contains("peftgrid-silo: started", logs.Output);
            var whoami = await DockerAsync(TimeSpan.FromSeconds(30), "exec", name, "id", "-u");
            Assert.Equal("1654", whoami.Output.Trim());
        }
        finally
        {
            await DockerAsync(TimeSpan.FromMinutes(1), "rm", "-f", name);
            await DockerAsync(TimeSpan.FromMinutes(1), "rmi", tag);
        }
    }

    private static async Task<(int ExitCode, string Output)> DockerAsync(TimeSpan timeout, params string[] args)
    {
        var psi = new ProcessStartInfo("docker") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        args.ToList().ForEach(psi.ArgumentList.Add);
        try
        {
            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            using var cts = new CancellationTokenSource(timeout);
            await p.WaitForExitAsync(cts.Token);
            return (p.ExitCode, await stdout + await stderr);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (127, $"docker is not installed: {e.Message}");
        }
    }

    [GeneratedRegex(@"dotnet publish (\S+\.csproj)")]
    private static partial Regex PublishRegex();
}
