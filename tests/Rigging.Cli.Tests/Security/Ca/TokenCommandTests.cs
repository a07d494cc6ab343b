using FluentAssertions;
using Rigging.ControlPlane;
using Rigging.ControlPlane.Security;

namespace Rigging.Cli.Tests.Security.Ca;

/// <summary><c>rig token create</c> as a real process against a control plane whose CA is on.</summary>
public sealed class TokenCommandTests : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "rig-token-" + Guid.NewGuid().ToString("N")[..12]);
    private ControlPlaneHost _host = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "config"));
        _host = await ControlPlaneHost.StartAsync(new ControlPlaneOptions
        {
            ConfigDirectory = Path.Combine(_dir, "config"),
            StateDirectory = Path.Combine(_dir, "state"),
            XdsPort = 0,
            HttpPort = 0,
            XdsTlsPort = 0,
        });
    }

    [Fact]
    public async Task Token_create_prints_a_token_the_control_plane_accepts_for_that_identity()
    {
        var (code, stdout, stderr) = await RigProcess.RunAsync(
            "token", "create", "--namespace", "bookinfo", "--service-account", "reviews", "--ttl", "2h", "--control-plane", _host.HttpAddress.ToString());

        code.Should().Be(0, stderr);
        var token = stdout.Trim();
        _host.Tokens!.Check(token, out var claims).Should().Be(TokenCheck.Valid);
        claims!.Namespace.Should().Be("bookinfo");
        claims.ServiceAccount.Should().Be("reviews");
        (claims.Expires - TimeProvider.System.GetUtcNow()).Should().BeCloseTo(TimeSpan.FromHours(2), TimeSpan.FromMinutes(1));
        stderr.Should().Contain("for bookinfo/reviews");
    }

    [Fact]
    public async Task Token_create_with_a_bad_ttl_or_name_fails_naming_the_field()
    {
        var (code, stdout, stderr) = await RigProcess.RunAsync(
            "token", "create", "--namespace", "bookinfo", "--service-account", "reviews", "--ttl", "soon", "--control-plane", _host.HttpAddress.ToString());
        code.Should().Be(1);
        stdout.Should().BeEmpty();
        stderr.Should().Contain("ttl: Invalid value: \"soon\"");

        (code, _, stderr) = await RigProcess.RunAsync(
            "token", "create", "--namespace", "Bad_NS", "--service-account", "reviews", "--control-plane", _host.HttpAddress.ToString());
        code.Should().Be(1);
        stderr.Should().Contain("namespace: Invalid value");
    }

    [Fact]
    public async Task Token_create_against_a_control_plane_that_is_not_there_says_so()
    {
        var (code, _, stderr) = await RigProcess.RunAsync("token", "create", "-n", "a", "--service-account", "b", "--control-plane", "http://127.0.0.1:1");
        code.Should().Be(1);
        stderr.Should().Contain("cannot get a token from http://127.0.0.1:1");
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }
}
