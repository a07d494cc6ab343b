using FluentAssertions;
using Rigging.E2E.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Rigging.E2E.Tests.Scenarios;

/// <summary>Workloads with CA-issued certificates: mTLS between sidecars, and PeerAuthentication STRICT.</summary>
[Collection(SecureMeshCollection.Name)]
public sealed class MtlsTests(SecureMeshFixture mesh, ITestOutputHelper output)
{
    private const string LoadgenSpiffe = "spiffe://cluster.local/ns/default/sa/loadgen";

    [Fact]
    public Task Strict_PeerAuthentication_keeps_mesh_traffic_working_and_refuses_plaintext_to_the_inbound_port() => mesh.Explain(async () =>
    {
        output.WriteLine($"secure mesh started in {mesh.StartupTime.TotalSeconds:0.0} s");
        var secure = mesh.Workload("secure-v1");
        using var plaintext = new HttpClient(new SocketsHttpHandler { UseProxy = false, ConnectTimeout = TimeSpan.FromSeconds(3) })
        {
            Timeout = TimeSpan.FromSeconds(5),
        };

        // PERMISSIVE (the default): the sidecars already speak mTLS, and plaintext is still accepted.
        var meshAnswer = await mesh.Client.GetAsync("secure", "/items");
        meshAnswer.Status.Should().Be(200);
        meshAnswer.Body.Should().Contain(LoadgenSpiffe, "the backend's sidecar saw loadgen's certificate (XFCC)");
        (await DirectAsync(plaintext, secure)).Should().Be(200, "PERMISSIVE accepts plaintext");

        var file = Path.Combine(mesh.MeshConfig, "peer-authentication-strict.yaml");
        File.Copy(Paths.TestConfig("peer-authentication-strict.yaml"), file);
        try
        {
            var took = await Bounded.WaitAsync("plaintext refused after STRICT", TimeSpan.FromSeconds(20),
                async () => await DirectAsync(plaintext, secure) == 0);
            output.WriteLine($"STRICT in force {took.TotalMilliseconds:0} ms after the write");

            var answers = await Traffic.BatchAsync(20, 4, _ => mesh.Client.GetAsync("secure", "/items"));
            var direct = new List<int>();
            for (var i = 0; i < 5; i++) direct.Add(await DirectAsync(plaintext, secure));

            answers.Select(a => a.Status).Should().AllBeEquivalentTo(200, "sidecar to sidecar is mTLS");
            answers.Should().OnlyContain(a => a.Body.Contains(LoadgenSpiffe, StringComparison.Ordinal));
            direct.Should().AllBeEquivalentTo(0, "a plaintext client gets no HTTP answer from a STRICT inbound port");
        }
        finally
        {
            File.Delete(file);
        }
    });

    /// <summary>A plaintext GET straight to the workload's inbound port: the status, or 0 when refused or reset.</summary>
    private static async Task<int> DirectAsync(HttpClient plaintext, MeshWorkload workload)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{workload.InboundPort}/items");
        request.Headers.Host = "secure:9080";
        request.Headers.ConnectionClose = true; // a fresh connection each time: one opened before STRICT may be served on
        try
        {
            using var response = await plaintext.SendAsync(request);
            return (int)response.StatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            return 0;
        }
    }
}
