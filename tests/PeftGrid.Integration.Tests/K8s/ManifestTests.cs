using k8s;
using k8s.Models;
using PeftGrid.Grains.Workers;
using PeftGrid.Silo.Hosting;
using PeftGrid.Tasks.Pipeline;
using PeftGrid.Tasks.Runner;
using Xunit;

namespace PeftGrid.Integration.Tests.K8s;

/// <summary>The k8s/ manifests parse as Kubernetes objects (KubernetesClient) and agree with the silo host's configuration.</summary>
public class ManifestTests
{
    private static string K8sDir()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "PeftGrid.sln"))) { dir = dir.Parent; }
        return Path.Combine(dir?.FullName ?? throw new DirectoryNotFoundException("PeftGrid.sln not found"), "k8s");
    }

    private static List<object> LoadAll() =>
        Directory.GetFiles(K8sDir(), "*.yaml").Where(f => !f.EndsWith("kustomization.yaml", StringComparison.Ordinal))
            .SelectMany(f => KubernetesYaml.LoadAllFromString(File.ReadAllText(f))).ToList();

    [Fact]
    public void EveryKustomizationResourceExistsAndParses()
    {
        var kustomization = File.ReadAllLines(Path.Combine(K8sDir(), "kustomization.yaml"));
        var resources = kustomization.SkipWhile(l => !l.StartsWith("resources:")).Skip(1).TakeWhile(l => l.StartsWith("  - ")).Select(l => l[4..].Trim()).ToList();
        Assert.Equal(6, resources.Count);
        foreach (var r in resources) { Assert.True(File.Exists(Path.Combine(K8sDir(), r)), r); }
        var objects = LoadAll();
        Assert.Contains(objects, o => o is V1StatefulSet { Metadata.Name: "peftgrid-silo" });
        Assert.Contains(objects, o => o is V1StatefulSet { Metadata.Name: "redis" });
        Assert.Contains(objects, o => o is V1Job);
        Assert.Contains(objects, o => o is V1Deployment { Metadata.Name: "otel-collector" });
        Assert.All(objects.OfType<IMetadata<V1ObjectMeta>>().Where(o => o is not V1Namespace), o => Assert.Equal("peftgrid", o.Metadata.NamespaceProperty));
    }

    [Fact]
    public void SiloEnvironmentBindsToSiloSettingsAndPortsMatchTheHost()
    {
        var objects = LoadAll();
        var silo = objects.OfType<V1StatefulSet>().Single(s => s.Metadata.Name == "peftgrid-silo");
        var container = silo.Spec.Template.Spec.Containers.Single();
        var env = container.Env.ToDictionary(e => e.Name);
        var settings = typeof(SiloSettings).GetProperties().Select(p => p.Name).ToHashSet();
        foreach (var name in env.Keys.Where(k => k.StartsWith("PeftGrid__", StringComparison.Ordinal)))
        {
            var property = name["PeftGrid__".Length..].Split("__")[0];
            Assert.True(settings.Contains(property), $"{name} does not bind to SiloSettings.{property}");
        }
        var defaults = new SiloSettings();
        Assert.Equal(defaults.SiloPort.ToString(), env["PeftGrid__SiloPort"].Value);
        Assert.Equal(defaults.GatewayPort.ToString(), env["PeftGrid__GatewayPort"].Value);
        Assert.Equal([defaults.SiloPort, defaults.GatewayPort], container.Ports.Select(p => p.ContainerPort).ToArray());
        Assert.Equal("true", env["PeftGrid__KubernetesHosting"].Value);
        Assert.Equal("status.podIP", env["PeftGrid__AdvertisedIP"].ValueFrom.FieldRef.FieldPath);
        Assert.Equal("metadata.name", env["PeftGrid__SiloName"].ValueFrom.FieldRef.FieldPath);   // Kubernetes hosting: silo name = pod name
        foreach (var required in new[] { "POD_NAME", "POD_NAMESPACE", "POD_IP", "ORLEANS_SERVICE_ID", "ORLEANS_CLUSTER_ID" }) { Assert.Contains(required, env.Keys); }
        var labels = silo.Spec.Template.Metadata.Labels;
        Assert.Equal(env["PeftGrid__ServiceId"].Value, labels["orleans/serviceId"]);
        Assert.Equal(env["PeftGrid__ClusterId"].Value, labels["orleans/clusterId"]);
        Assert.Equal("1", container.Resources.Limits["nvidia.com/gpu"].ToString());
        Assert.StartsWith("cuda:", env["PeftGrid__Workers__Devices__0"].Value);
        // The torch runner trains on one device per silo process: one device, one GPU per pod, and the silo's check agrees.
        var devices = env.Keys.Where(k => k.StartsWith("PeftGrid__Workers__Devices__", StringComparison.Ordinal)).Select(k => env[k].Value).ToList();
        var device = Assert.Single(devices);
        Assert.Equal(1, TorchProcessState.DevicesPerProcess);
        Assert.Equal(env["PeftGrid__Workers__Devices__0"].Value, device);
        Assert.Equal("torch", env["PeftGrid__Runner"].Value);
        RunnerFactory.CheckDevices(new WorkerOptions { Devices = devices }, new TorchTrialRunner(TestData.Root));
    }

    [Fact]
    public void ServicesReferencedByTheSiloExistWithTheirPorts()
    {
        var objects = LoadAll();
        var services = objects.OfType<V1Service>().ToDictionary(s => s.Metadata.Name);
        var env = objects.OfType<V1StatefulSet>().Single(s => s.Metadata.Name == "peftgrid-silo").Spec.Template.Spec.Containers.Single().Env.ToDictionary(e => e.Name);
        var redis = env["ConnectionStrings__Redis"].Value.Split(':');
        Assert.Contains(services[redis[0]].Spec.Ports, p => p.Port == int.Parse(redis[1]));
        var otlp = new Uri(env["OTEL_EXPORTER_OTLP_ENDPOINT"].Value);
        Assert.Contains(services[otlp.Host].Spec.Ports, p => p.Port == otlp.Port);
        var job = objects.OfType<V1Job>().Single();
        var args = job.Spec.Template.Spec.Containers.Single().Command;
        Assert.Equal(env["ConnectionStrings__Redis"].Value, args[args.IndexOf("--redis") + 1]);
    }

    [Fact]
    public void RedisPersistsWithAnAppendOnlyFileOnAPersistentVolume()
    {
        var redis = LoadAll().OfType<V1StatefulSet>().Single(s => s.Metadata.Name == "redis");
        var container = redis.Spec.Template.Spec.Containers.Single();
        string Arg(string name) => container.Args[container.Args.IndexOf(name) + 1];
        Assert.Equal("yes", Arg("--appendonly"));
        Assert.Equal("everysec", Arg("--appendfsync"));
        var mount = container.VolumeMounts.Single(m => m.MountPath == Arg("--dir"));
        var claim = redis.Spec.VolumeClaimTemplates.Single(c => c.Metadata.Name == mount.Name);
        Assert.Equal(["ReadWriteOnce"], claim.Spec.AccessModes);
        Assert.DoesNotContain(redis.Spec.Template.Spec.Volumes ?? [], v => v.Name == mount.Name); // not an emptyDir shadowing the claim
    }

    [Fact]
    public void TheClientJobNamesTheSilosClusterAndServiceId()
    {
        var objects = LoadAll();
        var env = objects.OfType<V1StatefulSet>().Single(s => s.Metadata.Name == "peftgrid-silo").Spec.Template.Spec.Containers.Single().Env.ToDictionary(e => e.Name);
        var args = objects.OfType<V1Job>().Single().Spec.Template.Spec.Containers.Single().Command;
        Assert.Equal(env["PeftGrid__ClusterId"].Value, args[args.IndexOf("--cluster-id") + 1]);
        Assert.Equal(env["PeftGrid__ServiceId"].Value, args[args.IndexOf("--service-id") + 1]);
        // The CLI understands the options the Job passes.
        var parse = PeftGrid.Cli.Program.BuildRoot().Parse(args.Skip(2).ToArray());
        Assert.Empty(parse.Errors);
    }

    [Fact]
    public void RbacLetsTheSiloServiceAccountWatchAndDeletePods()
    {
        var objects = LoadAll();
        var account = objects.OfType<V1StatefulSet>().Single(s => s.Metadata.Name == "peftgrid-silo").Spec.Template.Spec.ServiceAccountName;
        Assert.Contains(objects, o => o is V1ServiceAccount sa && sa.Metadata.Name == account);
        var binding = objects.OfType<V1RoleBinding>().Single();
        Assert.Contains(binding.Subjects, s => s.Name == account);
        var role = objects.OfType<V1Role>().Single(r => r.Metadata.Name == binding.RoleRef.Name);
        var pods = role.Rules.Single(r => r.Resources.Contains("pods"));
        foreach (var verb in new[] { "get", "list", "watch", "delete" }) { Assert.Contains(verb, pods.Verbs); }
    }
}
