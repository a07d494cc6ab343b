using FluentAssertions;
using Rigging.ControlPlane.Config.Secrets;
using Rigging.ControlPlane.Tests.Host;

namespace Rigging.ControlPlane.Tests.Security.GatewayTls;

public sealed class CredentialWatcherTests : IDisposable
{
    private readonly string _config = TempDirectory.Create();

    public void Dispose() => TempDirectory.Delete(_config);

    [Fact]
    public async Task Writing_a_credential_raises_changed_and_yaml_does_not()
    {
        var changes = 0;
        using var watcher = new CredentialWatcher(_config, () => Interlocked.Increment(ref changes), quiet: TimeSpan.FromMilliseconds(20));

        await File.WriteAllTextAsync(Path.Combine(_config, "vs.yaml"), "kind: List");
        await Task.Delay(300);
        Volatile.Read(ref changes).Should().Be(0);

        TestCertificates.Write(_config, "web", "web.example.com", withCa: false);
        for (var i = 0; i < 100 && Volatile.Read(ref changes) == 0; i++) await Task.Delay(50);
        Volatile.Read(ref changes).Should().BeGreaterThan(0);
    }
}
