using FluentAssertions;
using Xunit;

namespace Rigging.Cli.Tests;

public sealed class ControlPlaneCommandTests
{
    [Fact]
    public async Task Mesh_config_with_a_bad_extension_provider_is_refused_naming_the_file_and_field()
    {
        var dir = Directory.CreateTempSubdirectory("rig-mesh-");
        try
        {
            var mesh = Path.Combine(dir.FullName, "mesh.yaml");
            await File.WriteAllTextAsync(mesh, """
                rootNamespace: istio-system
                extensionProviders:
                - name: authz
                  envoyExtAuthzHttp:
                    port: 8000
                """);
            var (exit, _, stderr) = await RigProcess.RunAsync("control-plane", "--config", Path.Combine(dir.FullName, "config"), "--xds-port", "0", "--http-port", "0", "--mesh-config", mesh);
            exit.Should().Be(2);
            stderr.Should().Contain(mesh).And.Contain("extensionProviders[0]");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
