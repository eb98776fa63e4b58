using System.Diagnostics;
using k8s;
using k8s.Models;
using YamlDotNet.Serialization;

namespace PeftGrid.Integration.Tests.K8s;

/// <summary>The k8s/ tree (kustomize base and overlays) loaded for the manifest tests: every YAML file parsed with
/// KubernetesClient, each kustomization's listed files, and each overlay rendered by <c>kubectl kustomize</c> when kubectl is
/// on the machine (eng/setup.sh does not install it; without it the rendered checks say they skipped).</summary>
public static class Manifests
{
    /// <summary>The overlays, by folder name under k8s/overlays.</summary>
    public static readonly string[] Overlays = ["cpu-dev", "gpu"];

    public static string Root() => Path.Combine(Processes.RepoRoot(), "k8s");

    /// <summary>Every YAML file under k8s/ except the kustomizations (which KubernetesClient does not model).</summary>
    public static IEnumerable<string> ObjectFiles() =>
        Directory.GetFiles(Root(), "*.yaml", SearchOption.AllDirectories).Where(f => Path.GetFileName(f) != "kustomization.yaml");

    public static IEnumerable<string> Kustomizations() => Directory.GetFiles(Root(), "kustomization.yaml", SearchOption.AllDirectories);

    /// <summary>The files and directories a kustomization names: <c>resources</c> and the <c>path</c> of each patch.</summary>
    public static List<string> ListedPaths(string kustomization)
    {
        var doc = new DeserializerBuilder().Build().Deserialize<Dictionary<string, object>>(File.ReadAllText(kustomization));
        var listed = new List<string>();
        if (doc.TryGetValue("resources", out var resources))
        {
            listed.AddRange(((List<object>)resources).Select(r => (string)r));
        }
        if (doc.TryGetValue("patches", out var patches))
        {
            listed.AddRange(((List<object>)patches).Select(p => (string)((Dictionary<object, object>)p)["path"]));
        }
        return listed;
    }

    /// <summary>The base's objects (its resources, not the patches).</summary>
    public static List<object> Base() =>
        ListedPaths(Path.Combine(Root(), "base", "kustomization.yaml"))
            .SelectMany(f => KubernetesYaml.LoadAllFromString(File.ReadAllText(Path.Combine(Root(), "base", f)))).ToList();

    /// <summary>Whether <c>kubectl kustomize</c> works here, and why not.</summary>
    public static (bool Available, string Reason) Kubectl()
    {
        try
        {
            var r = Run("version", "--client");
            return r.ExitCode == 0 ? (true, "") : (false, $"`kubectl version --client` exited {r.ExitCode}: {r.Stderr.Trim()}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (false, $"kubectl is not installed ({e.Message}); eng/setup.sh does not install it");
        }
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> Rendered = new();

    /// <summary>The overlay rendered by <c>kubectl kustomize k8s/overlays/NAME</c> (rendered once per test run, parsed per call).</summary>
    public static List<object> Render(string overlay) => KubernetesYaml.LoadAllFromString(Rendered.GetOrAdd(overlay, o =>
    {
        var r = Run("kustomize", Path.Combine(Root(), "overlays", o));
        return r.ExitCode == 0 ? r.Stdout : throw new InvalidOperationException($"kubectl kustomize {o} failed: {r.Stderr}");
    }));

    /// <summary>The base, plus every overlay rendered when kubectl is available; <paramref name="note"/> says what was checked.</summary>
    public static List<(string Name, List<object> Objects)> Sets(Action<string> note)
    {
        var sets = new List<(string, List<object>)> { ("base", Base()) };
        var (available, reason) = Kubectl();
        if (available)
        {
            sets.AddRange(Overlays.Select(o => ($"overlays/{o}", Render(o))));
            note($"checked: base and the rendered overlays {string.Join(", ", Overlays)}");
        }
        else
        {
            note($"SKIPPED the rendered overlays: {reason}; checked the base only");
        }
        return sets;
    }

    public static V1StatefulSet Silo(List<object> objects) => objects.OfType<V1StatefulSet>().Single(s => s.Metadata.Name == "peftgrid-silo");

    public static V1Container SiloContainer(List<object> objects) => Silo(objects).Spec.Template.Spec.Containers.Single(c => c.Name == "silo");

    public static Dictionary<string, V1EnvVar> Env(V1Container c) => c.Env.ToDictionary(e => e.Name);

    /// <summary>The path a secret key is mounted at in <paramref name="pod"/>'s container, or null.</summary>
    public static string? SecretFile(V1PodSpec pod, V1Container container, string secret, string key)
    {
        foreach (var volume in pod.Volumes ?? [])
        {
            if (volume.Secret?.SecretName != secret || container.VolumeMounts?.SingleOrDefault(m => m.Name == volume.Name) is not { } mount)
            {
                continue;
            }
            var item = volume.Secret.Items?.SingleOrDefault(i => i.Key == key);
            if (item is not null || volume.Secret.Items is null)
            {
                return $"{mount.MountPath.TrimEnd('/')}/{item?.Path ?? key}";
            }
        }
        return null;
    }

    private static (int ExitCode, string Stdout, string Stderr) Run(params string[] args)
    {
        var psi = new ProcessStartInfo("kubectl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(60_000))
        {
            p.Kill(true);
            throw new TimeoutException($"kubectl {string.Join(' ', args)} did not finish in 60 s");
        }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }
}
