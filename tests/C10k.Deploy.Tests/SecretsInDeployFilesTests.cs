using System.Text.RegularExpressions;
using YamlDotNet.Serialization;

namespace C10k.Deploy.Tests;

/// <summary>
/// The image and compose run with users and the certificate from secrets made outside the repository (docs/security.md): nothing
/// in the image or compose file holds a password, a token or a key, or turns protected mode off, and the secrets' places are
/// ignored by git and by the image build. (The Kubernetes side: <see cref="ManifestTests"/>.)
/// </summary>
public sealed partial class SecretsInDeployFilesTests
{
    [Fact]
    public void Compose_replicas_take_users_from_the_env_file_and_the_certificate_from_the_mounted_directory()
    {
        var compose = Compose();
        var replica = (Dictionary<object, object>)compose["x-c10k"];
        var environment = ((Dictionary<object, object>)replica["environment"]).ToDictionary(e => (string)e.Key, e => (string)e.Value);
        var volume = Assert.Single((List<object>)replica["volumes"]).ToString()!;
        var mountedAt = volume.Split(':')[^2];

        Assert.Equal("${C10K_ENV_FILE:-c10k.env}", Assert.Single((List<object>)replica["env_file"]));
        Assert.StartsWith("${C10K_TLS_DIR:-./tls}:", volume, StringComparison.Ordinal);
        Assert.Equal(mountedAt + "/server.crt", environment["C10k__Tls__CertificatePath"]);
        Assert.Equal(mountedAt + "/server.key", environment["C10k__Tls__KeyPath"]);
        Assert.Equal("7001", environment["C10k__Native__TlsPort"]);
        Assert.Equal("6381", environment["C10k__Resp__TlsPort"]);
        Assert.NotEmpty(environment["C10k__Network__TrustedProxies"]);
        Assert.Equal("0.0.0.0", environment["C10k__Admin__BindAddress"]);
        Assert.DoesNotContain(environment.Keys, k => k.StartsWith("C10k__Auth__", StringComparison.Ordinal) || k is "C10k__Admin__Token" or "C10k__ProtectedMode");
        var services = (Dictionary<object, object>)compose["services"];
        var replicas = services.Keys.OfType<string>().Where(n => n.StartsWith("c10k-", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, replicas.Count);
        Assert.All(replicas, name => Assert.Same(replica, ((Dictionary<object, object>)services[name])["<<"]));
    }

    [Fact]
    public void Image_bakes_in_no_secret_and_keeps_protected_mode()
    {
        var environment = ImageEnvironment().Matches(RepositoryFiles.ReadAllText("Dockerfile")).Select(m => m.Groups["key"].Value).ToList();

        Assert.Contains("C10k__BindAddress", environment);
        Assert.DoesNotContain(environment, k => k.StartsWith("C10k__Auth__", StringComparison.Ordinal) || k.StartsWith("C10k__Tls__", StringComparison.Ordinal));
        Assert.DoesNotContain("C10k__Admin__Token", environment);
        Assert.DoesNotContain("C10k__ProtectedMode", environment);
    }

    [Fact]
    public void Secret_places_are_ignored_by_git_and_the_image_build()
    {
        var gitignore = RepositoryFiles.ReadAllText(".gitignore").Split('\n').Select(l => l.Trim()).ToList();
        var dockerignore = RepositoryFiles.ReadAllText(".dockerignore").Split('\n').Select(l => l.Trim()).ToList();

        Assert.Contains("docker/c10k.env", gitignore);
        Assert.Contains("docker/tls/", gitignore);
        Assert.Contains("docker/", dockerignore);
    }

    private static Dictionary<object, object> Compose() =>
        new DeserializerBuilder().Build().Deserialize<Dictionary<object, object>>(RepositoryFiles.ReadAllText("docker/compose.yaml"));

    // The keys of the Dockerfile's ENV instructions (one "KEY=value \" per line).
    [GeneratedRegex(@"^(?:ENV\s+|\s+)(?<key>[A-Za-z_][A-Za-z0-9_]*)=", RegexOptions.Multiline)]
    private static partial Regex ImageEnvironment();
}
