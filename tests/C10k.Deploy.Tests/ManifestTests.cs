using System.Globalization;
using System.Text.RegularExpressions;
using k8s;
using k8s.Models;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace C10k.Deploy.Tests;

/// <summary>
/// docker/k8s: every manifest loads into the Kubernetes model types in strict mode (an unknown field or kind fails),
/// kustomization.yaml is checked on its own, and ports, probes and the grace period agree with the server's defaults.
/// </summary>
public sealed partial class ManifestTests
{
    private static readonly string K8s = RepositoryFiles.PathOf("docker", "k8s");

    public static TheoryData<string> Manifests() => new(ManifestFiles());

    private static string[] ManifestFiles() =>
        [.. Directory.GetFiles(K8s, "*.yaml").Select(Path.GetFileName).OfType<string>().Where(f => f != "kustomization.yaml").Order()];

    [Theory]
    [MemberData(nameof(Manifests))]
    public void Manifest_loads_in_strict_mode(string file)
    {
        var objects = KubernetesYaml.LoadAllFromString(File.ReadAllText(Path.Combine(K8s, file)), strict: true);

        Assert.NotEmpty(objects);
        Assert.All(objects, o => Assert.IsAssignableFrom<IKubernetesObject<V1ObjectMeta>>(o));
    }

    [Fact]
    public void Strict_mode_rejects_an_unknown_field()
    {
        // Guards the test above: if strict mode stopped being strict, a misspelt field would pass unseen.
        var text = File.ReadAllText(Path.Combine(K8s, "deployment.yaml"))
            .Replace("  replicas: 3", "  replicas: 3\n  replicaz: 3", StringComparison.Ordinal);

        Assert.ThrowsAny<Exception>(() => KubernetesYaml.LoadAllFromString(text, strict: true));
    }

    [Fact]
    public void Kustomization_lists_every_manifest_and_the_image()
    {
        var kustomization = new DeserializerBuilder() // no IgnoreUnmatchedProperties: an unknown key fails
            .WithNamingConvention(CamelCaseNamingConvention.Instance)
            .Build()
            .Deserialize<Kustomization>(File.ReadAllText(Path.Combine(K8s, "kustomization.yaml")));

        Assert.Equal("kustomize.config.k8s.io/v1beta1", kustomization.ApiVersion);
        Assert.Equal("Kustomization", kustomization.Kind);
        Assert.Equal(ManifestFiles(), kustomization.Resources.Order());
        var image = Assert.Single(kustomization.Images);
        Assert.Equal(Container().Image.Split(':')[0], image.Name);
    }

    [Fact]
    public void Ports_match_the_server_defaults()
    {
        var ports = Container().Ports.ToDictionary(p => p.Name, p => p.ContainerPort);
        Assert.All(Container().Ports, p => Assert.Equal("TCP", p.Protocol));

        Assert.Equal(ServerDefaults.Int("C10k:Native", "Port"), ports["native"]);
        // The RESP and admin fronts are checked once the server defines them.
        if (ServerDefaults.Int("C10k:Resp", "Port") is { } resp)
        {
            Assert.Equal(resp, ports["resp"]);
        }

        if (ServerDefaults.Int("C10k:Admin", "Port") is { } admin)
        {
            Assert.Equal(admin, ports["admin"]);
        }

        // The TLS ports are the ones the container's environment configures.
        var env = Container().Env.ToDictionary(e => e.Name, e => e.Value);
        Assert.Equal(int.Parse(env["C10k__Native__TlsPort"], CultureInfo.InvariantCulture), ports["native-tls"]);
        Assert.Equal(int.Parse(env["C10k__Resp__TlsPort"], CultureInfo.InvariantCulture), ports["resp-tls"]);

        // The Service exposes the data ports (never admin) under the same numbers, by name.
        var service = Load<V1Service>("service.yaml");
        Assert.All(service.Spec.Ports, p => Assert.Equal("TCP", p.Protocol));
        Assert.Equal(["native", "native-tls", "resp", "resp-tls"], service.Spec.Ports.Select(p => p.TargetPort.Value).Order());
        Assert.All(service.Spec.Ports, p => Assert.Equal(ports[p.TargetPort.Value], p.Port));
    }

    [Fact]
    public void Probes_use_the_admin_endpoints()
    {
        var container = Container();

        Assert.Equal("/readyz", container.ReadinessProbe.HttpGet.Path);
        Assert.Equal("admin", container.ReadinessProbe.HttpGet.Port.Value);
        Assert.Equal("/healthz", container.LivenessProbe.HttpGet.Path);
        Assert.Equal("admin", container.LivenessProbe.HttpGet.Port.Value);
        Assert.Contains(container.Ports, p => p.Name == "admin");
    }

    [Fact]
    public void Pods_take_users_and_the_certificate_from_secrets_and_bind_admin_for_the_probes()
    {
        var container = Container();
        var env = container.Env.ToDictionary(e => e.Name, e => e.Value);
        var tls = Load<V1Deployment>("deployment.yaml").Spec.Template.Spec.Volumes.Single(v => v.Secret is not null);

        Assert.Equal("c10k-auth", Assert.Single(container.EnvFrom).SecretRef.Name);
        Assert.Equal("c10k-tls", tls.Secret.SecretName);
        var mount = container.VolumeMounts.Single(m => m.Name == tls.Name);
        Assert.Equal(mount.MountPath + "/tls.crt", env["C10k__Tls__CertificatePath"]);
        Assert.Equal(mount.MountPath + "/tls.key", env["C10k__Tls__KeyPath"]);
        Assert.Equal("0.0.0.0", env["C10k__Admin__BindAddress"]);
        Assert.DoesNotContain(env.Keys, k => k.StartsWith("C10k__Auth__", StringComparison.Ordinal));
    }

    [Fact]
    public void Grace_period_covers_prestop_and_drain()
    {
        var pod = Load<V1Deployment>("deployment.yaml").Spec.Template.Spec;
        var preStop = Container().Lifecycle.PreStop.Sleep.Seconds;
        var drainMs = ServerDefaults.Int("C10k:Shutdown", "DrainTimeoutMs");
        var readinessMs = int.Parse(Container().Env.Single(e => e.Name == "C10k__Shutdown__ReadinessDelayMs").Value, CultureInfo.InvariantCulture);

        Assert.NotNull(drainMs);
        Assert.True(pod.TerminationGracePeriodSeconds > preStop + ((readinessMs + drainMs.Value + 5000) / 1000.0),
            $"terminationGracePeriodSeconds {pod.TerminationGracePeriodSeconds} must exceed preStop {preStop} s + readiness delay {readinessMs} ms + drain {drainMs} ms + 5 s");
    }

    [Fact]
    public void Pod_runs_non_root_on_a_read_only_root()
    {
        var pod = Load<V1Deployment>("deployment.yaml").Spec.Template.Spec;
        var security = Container().SecurityContext;

        Assert.True(pod.SecurityContext.RunAsNonRoot);
        Assert.True(security.ReadOnlyRootFilesystem);
        Assert.False(security.AllowPrivilegeEscalation);
        Assert.Contains(Container().VolumeMounts, m => m.MountPath == "/tmp");
        Assert.NotNull(Container().Resources.Requests);
        Assert.NotNull(Container().Resources.Limits);
    }

    [Fact]
    public void Hpa_and_pdb_select_the_deployment()
    {
        var deployment = Load<V1Deployment>("deployment.yaml");
        var hpa = Load<V2HorizontalPodAutoscaler>("hpa.yaml");
        var pdb = Load<V1PodDisruptionBudget>("pdb.yaml");
        var service = Load<V1Service>("service.yaml");
        var podLabels = deployment.Spec.Template.Metadata.Labels;

        Assert.Equal(deployment.Metadata.Name, hpa.Spec.ScaleTargetRef.Name);
        Assert.Equal("Deployment", hpa.Spec.ScaleTargetRef.Kind);
        Assert.Equal(deployment.Spec.Replicas, hpa.Spec.MinReplicas);
        Assert.Equal("cpu", Assert.Single(hpa.Spec.Metrics).Resource.Name);
        Assert.All(pdb.Spec.Selector.MatchLabels, l => Assert.Equal(l.Value, podLabels[l.Key]));
        Assert.All(service.Spec.Selector, l => Assert.Equal(l.Value, podLabels[l.Key]));
        Assert.All(deployment.Spec.Selector.MatchLabels, l => Assert.Equal(l.Value, podLabels[l.Key]));
    }

    [Fact]
    public void Balancer_and_compose_timeouts_agree_with_the_server()
    {
        var idleMs = ServerDefaults.Int("C10k:Limits", "IdleTimeoutMs")!.Value;
        var drainMs = ServerDefaults.Int("C10k:Shutdown", "DrainTimeoutMs")!.Value;
        var haproxy = RepositoryFiles.ReadAllText("docker/haproxy/haproxy.cfg");
        var compose = RepositoryFiles.ReadAllText("docker/compose.yaml");
        var readinessMs = int.Parse(ImageReadinessDelay().Match(RepositoryFiles.ReadAllText("Dockerfile")).Groups["ms"].Value, CultureInfo.InvariantCulture);
        var checks = HaproxyChecks().Match(haproxy);

        // HAProxy must not cut an idle client before the server's own idle timeout does.
        Assert.True(Seconds(HaproxyTimeout().Match(haproxy).Groups["client"].Value) * 1000 > idleMs);
        Assert.True(Seconds(HaproxyServerTimeout().Match(haproxy).Groups["server"].Value) * 1000 > idleMs);
        // On SIGTERM, /readyz answers 503 long enough for HAProxy's failing checks to take the replica out before it refuses anyone.
        Assert.True(readinessMs >= Seconds(checks.Groups["inter"].Value) * 1000 * int.Parse(checks.Groups["fall"].Value, CultureInfo.InvariantCulture));
        // The engine must not SIGKILL a replica before its readiness delay, its drain and the host's stop margin end.
        Assert.True(Seconds(StopGrace().Match(compose).Groups["grace"].Value) * 1000 > readinessMs + drainMs + 5000);
    }

    private static double Seconds(string value) => value switch
    {
        _ when value.EndsWith("ms", StringComparison.Ordinal) => double.Parse(value[..^2], CultureInfo.InvariantCulture) / 1000,
        _ when value.EndsWith('s') => double.Parse(value[..^1], CultureInfo.InvariantCulture),
        _ when value.EndsWith('m') => double.Parse(value[..^1], CultureInfo.InvariantCulture) * 60,
        _ => throw new FormatException("unknown duration " + value),
    };

    [GeneratedRegex(@"^\s*timeout client (?<client>\S+)", RegexOptions.Multiline)]
    private static partial Regex HaproxyTimeout();

    [GeneratedRegex(@"^\s*timeout server (?<server>\S+)", RegexOptions.Multiline)]
    private static partial Regex HaproxyServerTimeout();

    [GeneratedRegex(@"^\s*stop_grace_period: (?<grace>\S+)", RegexOptions.Multiline)]
    private static partial Regex StopGrace();

    [GeneratedRegex(@"C10k__Shutdown__ReadinessDelayMs=(?<ms>\d+)")]
    private static partial Regex ImageReadinessDelay();

    [GeneratedRegex(@"\binter (?<inter>\S+) fall (?<fall>\d+)")]
    private static partial Regex HaproxyChecks();

    private static T Load<T>(string file) =>
        KubernetesYaml.LoadAllFromString(File.ReadAllText(Path.Combine(K8s, file)), strict: true).OfType<T>().Single();

    private static V1Container Container() =>
        Assert.Single(Load<V1Deployment>("deployment.yaml").Spec.Template.Spec.Containers);

    private sealed class Kustomization
    {
        public string ApiVersion { get; set; } = "";

        public string Kind { get; set; } = "";

        public List<string> Resources { get; set; } = [];

        public List<LabelSet> Labels { get; set; } = [];

        public List<ImageOverride> Images { get; set; } = [];
    }

    private sealed class LabelSet
    {
        public Dictionary<string, string> Pairs { get; set; } = [];
    }

    private sealed class ImageOverride
    {
        public string Name { get; set; } = "";

        public string NewName { get; set; } = "";

        public string NewTag { get; set; } = "";
    }
}
