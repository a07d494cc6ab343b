using System.Text.Json;
using FluentAssertions;

namespace Rigging.Cli.Tests;

public sealed class ValidateCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rigging-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Istio_samples_directory_is_valid_and_exits_0()
    {
        var (exit, stdout, _) = await RigProcess.RunAsync("validate", "-f", RigProcess.Istio("samples"));

        exit.Should().Be(0, stdout);
        stdout.TrimEnd().Split('\n')[^1].Should().MatchRegex(@"^\d+ resources in \d+ files: valid$");
    }

    [Fact]
    public async Task Invalid_file_exits_1_with_file_line_resource_and_field()
    {
        var path = Path.Combine(_dir, "bad.yaml");
        await File.WriteAllTextAsync(path, """
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata:
              name: reviews
              namespace: shop
            spec:
              host: reviews
              trafficPolicy:
                outlierDetection:
                  maxEjectionPercent: 150
            """);

        var (exit, stdout, _) = await RigProcess.RunAsync("validate", "-f", path);

        exit.Should().Be(1);
        stdout.Should().Contain($"{path}:10:7: error: DestinationRule shop/reviews: spec.trafficPolicy.outlierDetection.maxEjectionPercent: Invalid value: 150");
        stdout.Should().Contain("1 error in 1 resource from 1 file: invalid");
    }

    [Fact]
    public async Task Json_output_has_the_same_messages_with_their_fields()
    {
        var path = Path.Combine(_dir, "bad.yaml");
        await File.WriteAllTextAsync(path, "apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: p}\nspec:\n  mtls: {mode: BLAH}\n");

        var (exit, stdout, _) = await RigProcess.RunAsync("validate", "-o", "json", "-f", path);

        exit.Should().Be(1);
        using var json = JsonDocument.Parse(stdout);
        json.RootElement.GetProperty("valid").GetBoolean().Should().BeFalse();
        var message = json.RootElement.GetProperty("messages")[0];
        message.GetProperty("severity").GetString().Should().Be("error");
        message.GetProperty("line").GetInt32().Should().Be(5);
        message.GetProperty("resource").GetString().Should().Be("PeerAuthentication default/p");
        message.GetProperty("field").GetString().Should().Be("spec.mtls.mode");
        message.GetProperty("message").GetString().Should().StartWith("spec.mtls.mode: Unsupported value: \"BLAH\"");
    }

    [Fact]
    public async Task Missing_filename_is_a_usage_error_not_a_crash()
    {
        var (exit, stdout, stderr) = await RigProcess.RunAsync("validate");

        exit.Should().NotBe(0);
        (stdout + stderr).Should().Contain("--filename").And.NotContain("Exception");
    }

    [Fact]
    public async Task Version_prints_the_version()
    {
        var (exit, stdout, _) = await RigProcess.RunAsync("version");

        exit.Should().Be(0);
        stdout.Should().MatchRegex(@"^rig version \d+\.\d+\.\d+");
    }
}
