using FluentAssertions;
using Rigging.ControlPlane.Config.Secrets;
using Rigging.ControlPlane.Tests.Host;

namespace Rigging.ControlPlane.Tests.Security.GatewayTls;

/// <summary>Reading credentials from secrets/NAME folders.</summary>
public sealed class CredentialDirectoryTests : IDisposable
{
    private readonly string _config = TempDirectory.Create();

    public void Dispose() => TempDirectory.Delete(_config);

    [Fact]
    public void Reads_key_pairs_and_finds_the_ca_in_the_cacert_folder()
    {
        TestCertificates.Write(_config, "web", "web.example.com", withCa: false);
        var caFolder = Path.Combine(_config, "secrets", "web-cacert");
        Directory.CreateDirectory(caFolder);
        File.WriteAllText(Path.Combine(caFolder, "ca.crt"), TestCertificates.ServerFor("x").CaPem);

        var set = CredentialDirectory.UnderConfig(_config).Load();

        set.Find("web")!.HasKeyPair.Should().BeTrue();
        set.Find("web")!.CaCertificates.Should().BeNull();
        set.FindCa("web").Should().StartWith("-----BEGIN CERTIFICATE-----");
    }

    [Fact]
    public void Missing_directory_is_no_credentials_and_empty_folders_are_skipped()
    {
        CredentialDirectory.UnderConfig(_config).Load().Count.Should().Be(0);
        Directory.CreateDirectory(Path.Combine(_config, "secrets", "empty"));
        CredentialDirectory.UnderConfig(_config).Load().Count.Should().Be(0);
    }

    [Fact]
    public void Oversized_file_skips_that_credential_only()
    {
        TestCertificates.Write(_config, "good", "a.example.com", withCa: false);
        var bad = Path.Combine(_config, "secrets", "huge");
        Directory.CreateDirectory(bad);
        File.WriteAllText(Path.Combine(bad, "tls.crt"), new string('A', CredentialDirectory.MaxFileBytes + 1));

        var set = CredentialDirectory.UnderConfig(_config).Load();

        set.Find("good").Should().NotBeNull();
        set.Find("huge").Should().BeNull();
    }
}
