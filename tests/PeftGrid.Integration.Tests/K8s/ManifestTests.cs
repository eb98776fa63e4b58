using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using PeftGrid.Dashboard;
using PeftGrid.Grains.Workers;
using PeftGrid.Silo.Hosting;
using PeftGrid.Tasks.Pipeline;
using PeftGrid.Tasks.Runner;
using Xunit;
using Xunit.Abstractions;

namespace PeftGrid.Integration.Tests.K8s;

/// <summary>The k8s/ manifests (kustomize base + overlays) parse as Kubernetes objects (KubernetesClient) and agree with the silo
/// host's configuration; the checks run on the base and, where kubectl is installed, on each rendered overlay.</summary>
public class ManifestTests(ITestOutputHelper output)
{
    private List<(string Name, List<object> Objects)> Sets() => Manifests.Sets(output.WriteLine);

    [Fact]
    public void EveryYamlParsesAndEveryKustomizationListsExistingFiles()
    {
        var files = Manifests.ObjectFiles().ToList();
        Assert.True(files.Count >= 9, $"{files.Count} manifest files");
        foreach (var f in files)
        {
            Assert.NotEmpty(KubernetesYaml.LoadAllFromString(File.ReadAllText(f)));
        }
        var kustomizations = Manifests.Kustomizations().Select(k => Path.GetRelativePath(Manifests.Root(), k)).Order().ToList();
        Assert.Equal(["base/kustomization.yaml", .. Manifests.Overlays.Select(o => $"overlays/{o}/kustomization.yaml")], kustomizations);
        foreach (var k in Manifests.Kustomizations())
        {
            var listed = Manifests.ListedPaths(k);
            Assert.NotEmpty(listed);
            foreach (var path in listed.Select(p => Path.Combine(Path.GetDirectoryName(k)!, p)))
            {
                Assert.True(File.Exists(path) || File.Exists(Path.Combine(path, "kustomization.yaml")), $"{k} lists {path}, which does not exist");
            }
        }
        // Every non-kustomization file is used by some kustomization.
        var used = Manifests.Kustomizations().SelectMany(k => Manifests.ListedPaths(k).Select(p => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(k)!, p))));
        Assert.Empty(files.Select(Path.GetFullPath).Except(used));
    }

    [Fact]
    public void TheRenderedOverlaysAreWhatTheirNamesSay()
    {
        var (available, reason) = Manifests.Kubectl();
        if (!available)
        {
            output.WriteLine($"SKIPPED: {reason}");
            return;
        }
        var cpu = Manifests.Render("cpu-dev");
        var cpuSilo = Manifests.SiloContainer(cpu);
        Assert.Equal(1, Manifests.Silo(cpu).Spec.Replicas);
        Assert.EndsWith(":0.1.0-cpu", cpuSilo.Image);
        Assert.Equal("cpu:0", Manifests.Env(cpuSilo)["PeftGrid__Workers__Devices__0"].Value);
        Assert.False(cpuSilo.Resources.Limits.ContainsKey("nvidia.com/gpu"));
        // Read-only dashboard: no token from anywhere.
        Assert.DoesNotContain(cpuSilo.Env, e => e.Name.StartsWith("PeftGrid__Dashboard__Token", StringComparison.Ordinal));
        var demo = cpu.OfType<V1Job>().Single().Spec.Template.Spec.Containers.Single().Command;
        Assert.Equal("demo-sst2", demo[demo.IndexOf("--grid") + 1]);

        var gpu = Manifests.Render("gpu");
        var gpuPod = Manifests.Silo(gpu).Spec.Template.Spec;
        var gpuSilo = Manifests.SiloContainer(gpu);
        var env = Manifests.Env(gpuSilo);
        Assert.EndsWith(":0.1.0-cuda", gpuSilo.Image);
        Assert.Equal("1", gpuSilo.Resources.Limits["nvidia.com/gpu"].ToString());
        Assert.Equal("true", gpuPod.NodeSelector["nvidia.com/gpu.present"]);
        Assert.Contains(gpuPod.Tolerations, t => t.Key == "nvidia.com/gpu");
        var devices = env.Keys.Where(k => k.StartsWith("PeftGrid__Workers__Devices__", StringComparison.Ordinal)).Select(k => env[k].Value).ToList();
        Assert.Equal(["cuda:0"], devices);
        Assert.Equal(1, TorchProcessState.DevicesPerProcess);
        RunnerFactory.CheckDevices(new WorkerOptions { Devices = devices }, new TorchTrialRunner(TestData.Root));
        // The dashboard token comes from the Secret peftgrid-dashboard, as a file.
        Assert.DoesNotContain("PeftGrid__Dashboard__Token", env.Keys);
        Assert.Equal(Manifests.SecretFile(gpuPod, gpuSilo, "peftgrid-dashboard", "token"), env["PeftGrid__Dashboard__TokenFile"].Value);
        output.WriteLine("checked the rendered overlays cpu-dev and gpu");
    }

    [Fact]
    public void SiloEnvironmentBindsToSiloSettingsAndPortsMatchTheHost()
    {
        var settings = typeof(SiloSettings).GetProperties().Select(p => p.Name).ToHashSet();
        var defaults = new SiloSettings();
        foreach (var (name, objects) in Sets())
        {
            var silo = Manifests.Silo(objects);
            var container = Manifests.SiloContainer(objects);
            var env = Manifests.Env(container);
            foreach (var key in env.Keys.Where(k => k.StartsWith("PeftGrid__", StringComparison.Ordinal)))
            {
                Assert.True(settings.Contains(key["PeftGrid__".Length..].Split("__")[0]), $"{name}: {key} does not bind to SiloSettings");
            }
            Assert.Equal(defaults.SiloPort.ToString(), env["PeftGrid__SiloPort"].Value);
            Assert.Equal(defaults.GatewayPort.ToString(), env["PeftGrid__GatewayPort"].Value);
            var ports = container.Ports.ToDictionary(p => p.Name, p => p.ContainerPort);
            Assert.Equal(defaults.SiloPort, ports["silo"]);
            Assert.Equal(defaults.GatewayPort, ports["gateway"]);
            Assert.Equal("true", env["PeftGrid__KubernetesHosting"].Value);
            Assert.Equal("status.podIP", env["PeftGrid__AdvertisedIP"].ValueFrom.FieldRef.FieldPath);
            Assert.Equal("metadata.name", env["PeftGrid__SiloName"].ValueFrom.FieldRef.FieldPath);   // Kubernetes hosting: silo name = pod name
            foreach (var required in new[] { "POD_NAME", "POD_NAMESPACE", "POD_IP", "ORLEANS_SERVICE_ID", "ORLEANS_CLUSTER_ID" }) { Assert.Contains(required, env.Keys); }
            var labels = silo.Spec.Template.Metadata.Labels;
            Assert.Equal(env["PeftGrid__ServiceId"].Value, labels["orleans/serviceId"]);
            Assert.Equal(env["PeftGrid__ClusterId"].Value, labels["orleans/clusterId"]);
            Assert.Single(env.Keys, k => k.StartsWith("PeftGrid__Workers__Devices__", StringComparison.Ordinal)); // one device per silo process
            Assert.Equal("torch", env["PeftGrid__Runner"].Value);
            Assert.Contains(container.VolumeMounts, m => m.MountPath == env["PeftGrid__DataRoot"].Value);
            // The dashboards stay on the pod's loopback (reach them with kubectl port-forward).
            Assert.Contains(env.GetValueOrDefault("PeftGrid__Dashboard__Host")?.Value ?? defaults.Dashboard.Host, DashboardSettings.LoopbackHosts);
            Assert.True(silo.Spec.Template.Spec.SecurityContext.RunAsNonRoot);
            Assert.All(objects.OfType<IMetadata<V1ObjectMeta>>().Where(o => o is not V1Namespace), o => Assert.Equal("peftgrid", o.Metadata.NamespaceProperty));
        }
    }

    [Fact]
    public void ProbesHitTheProbeListenerOnThePathsTheSiloMaps()
    {
        foreach (var (name, objects) in Sets())
        {
            var container = Manifests.SiloContainer(objects);
            var env = Manifests.Env(container);
            var port = container.Ports.Single(p => p.Name == "health");
            Assert.Equal(env["PeftGrid__Health__Port"].Value, port.ContainerPort.ToString());
            Assert.Equal("0.0.0.0", env["PeftGrid__Health__Host"].Value); // the kubelet probes the pod IP
            Assert.NotEqual(port.ContainerPort, int.Parse(env.GetValueOrDefault("PeftGrid__Dashboard__Port")?.Value ?? new DashboardSettings().Port.ToString()));
            var probes = new[] { ("liveness", container.LivenessProbe, SiloOperations.LivenessPath), ("readiness", container.ReadinessProbe, SiloOperations.ReadinessPath),
                                 ("startup", container.StartupProbe, SiloOperations.LivenessPath) };
            foreach (var (kind, probe, path) in probes)
            {
                Assert.True(probe?.HttpGet is not null, $"{name}: no {kind} httpGet probe");
                Assert.Equal(path, probe.HttpGet.Path);
                Assert.Equal("health", probe.HttpGet.Port.Value);
            }
        }
    }

    [Fact]
    public void TheGracePeriodOutlastsTheHostsShutdownTimeout()
    {
        using var host = SiloHost.Build([], new Dictionary<string, string?>
        {
            ["PeftGrid:Runner"] = "fake", ["PeftGrid:Dashboard:Enabled"] = "false",
            ["ConnectionStrings:Redis"] = "", ["PEFTGRID_REDIS"] = "", ["PEFTGRID_REDIS_FILE"] = "",
        });
        var shutdown = host.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout;
        foreach (var (name, objects) in Sets())
        {
            var grace = Manifests.Silo(objects).Spec.Template.Spec.TerminationGracePeriodSeconds;
            Assert.True(grace >= shutdown.TotalSeconds + 5 && grace <= shutdown.TotalSeconds + 30,
                $"{name}: terminationGracePeriodSeconds {grace} vs the host's shutdown timeout {shutdown.TotalSeconds} s");
        }
    }

    [Fact]
    public void RedisPasswordAndConnectionStringComeOnlyFromTheSecret()
    {
        foreach (var (name, objects) in Sets())
        {
            Assert.DoesNotContain(objects, o => o is V1Secret); // Secrets are created out of band, never committed
            var all = KubernetesYaml.SerializeAll(objects);
            Assert.DoesNotContain("password=", all, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("ConnectionStrings__Redis", all);

            var silo = Manifests.Silo(objects).Spec.Template.Spec;
            var env = Manifests.Env(Manifests.SiloContainer(objects));
            Assert.Equal(Manifests.SecretFile(silo, Manifests.SiloContainer(objects), "peftgrid-redis", "connection"), env["PEFTGRID_REDIS_FILE"].Value);

            var job = objects.OfType<V1Job>().Single().Spec.Template.Spec;
            var command = job.Containers.Single().Command;
            Assert.Equal(Manifests.SecretFile(job, job.Containers.Single(), "peftgrid-redis", "connection"), command[command.IndexOf("--redis-file") + 1]);
            Assert.DoesNotContain("--redis", command);

            var redis = objects.OfType<V1StatefulSet>().Single(s => s.Metadata.Name == "redis").Spec.Template.Spec;
            var server = redis.Containers.Single();
            var passwordFile = Manifests.SecretFile(redis, server, "peftgrid-redis", "password");
            Assert.NotNull(passwordFile);
            var script = string.Join('\n', server.Args);
            Assert.Contains($"requirepass $(cat {passwordFile})", script);         // fed on stdin: not in the process arguments
            Assert.Contains("redis-server - ", script);
            Assert.Contains($"REDISCLI_AUTH=\"$(cat {passwordFile})\"", string.Join(' ', server.ReadinessProbe.Exec.Command));
        }
    }

    [Fact]
    public void ServicesReferencedByTheSiloExistWithTheirPorts()
    {
        foreach (var (_, objects) in Sets())
        {
            var services = objects.OfType<V1Service>().ToDictionary(s => s.Metadata.Name);
            Assert.Contains(services["redis"].Spec.Ports, p => p.Port == 6379);
            var otlp = new Uri(Manifests.Env(Manifests.SiloContainer(objects))["OTEL_EXPORTER_OTLP_ENDPOINT"].Value);
            Assert.Contains(services[otlp.Host].Spec.Ports, p => p.Port == otlp.Port);
            Assert.Contains(services[Manifests.Silo(objects).Spec.ServiceName].Spec.Ports, p => p.Port == new SiloSettings().GatewayPort);
        }
    }

    [Fact]
    public void RedisPersistsWithAnAppendOnlyFileOnAPersistentVolume()
    {
        foreach (var (_, objects) in Sets())
        {
            var redis = objects.OfType<V1StatefulSet>().Single(s => s.Metadata.Name == "redis");
            var container = redis.Spec.Template.Spec.Containers.Single();
            var words = string.Join(' ', container.Args).Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries).ToList();
            string Arg(string option) => words[words.IndexOf(option) + 1];
            Assert.Equal("yes", Arg("--appendonly"));
            Assert.Equal("everysec", Arg("--appendfsync"));
            var mount = container.VolumeMounts.Single(m => m.MountPath == Arg("--dir"));
            var claim = redis.Spec.VolumeClaimTemplates.Single(c => c.Metadata.Name == mount.Name);
            Assert.Equal(["ReadWriteOnce"], claim.Spec.AccessModes);
            Assert.DoesNotContain(redis.Spec.Template.Spec.Volumes ?? [], v => v.Name == mount.Name); // not an emptyDir shadowing the claim
        }
    }

    [Fact]
    public void TheClientJobNamesTheSilosClusterAndTheCliParsesIt()
    {
        foreach (var (_, objects) in Sets())
        {
            var env = Manifests.Env(Manifests.SiloContainer(objects));
            var args = objects.OfType<V1Job>().Single().Spec.Template.Spec.Containers.Single().Command;
            Assert.Equal(env["PeftGrid__ClusterId"].Value, args[args.IndexOf("--cluster-id") + 1]);
            Assert.Equal(env["PeftGrid__ServiceId"].Value, args[args.IndexOf("--service-id") + 1]);
            // The image's CLI: /app/<the CLI's assembly>.dll (eng/docker/Dockerfile publishes to /app).
            Assert.Equal(["dotnet", $"/app/{typeof(PeftGrid.Cli.Program).Assembly.GetName().Name}.dll"], args.Take(2));
            Assert.Empty(PeftGrid.Cli.Program.BuildRoot().Parse(args.Skip(2).ToArray()).Errors);
        }
    }

    [Fact]
    public void RbacLetsTheSiloServiceAccountWatchAndDeletePods()
    {
        foreach (var (_, objects) in Sets())
        {
            var account = Manifests.Silo(objects).Spec.Template.Spec.ServiceAccountName;
            Assert.Contains(objects, o => o is V1ServiceAccount sa && sa.Metadata.Name == account);
            var binding = objects.OfType<V1RoleBinding>().Single();
            Assert.Contains(binding.Subjects, s => s.Name == account);
            var role = objects.OfType<V1Role>().Single(r => r.Metadata.Name == binding.RoleRef.Name);
            var pods = role.Rules.Single(r => r.Resources.Contains("pods"));
            foreach (var verb in new[] { "get", "list", "watch", "delete" }) { Assert.Contains(verb, pods.Verbs); }
        }
    }
}
