using Envoy.Extensions.TransportSockets.Tls.V3;
using Envoy.Service.Discovery.V3;
using FluentAssertions;
using Rigging.Xds.Cache;
using Rigging.Xds.Grpc;
using Rigging.Xds.Grpc.Client;
using Rigging.Xds.Grpc.Server;
using Rigging.Xds.Server;
using Rigging.Xds.Tests.Echo;
using Rigging.Xds.Tests.Infrastructure;
using Xunit;

namespace Rigging.Xds.Tests.Grpc;

public sealed class CancellationAndLimitsTests
{
    [Fact]
    public async Task Disposing_a_client_call_cancels_the_server_handler()
    {
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await GrpcServer.StartAsync(EchoMethods.CreateRegistry("ours", cancelled));
        using var channel = new GrpcChannel(server.Address);
        var call = channel.StartDuplex(EchoMethods.Bidi);
        await call.WriteAsync(new EchoRequest { Message = "x" });
        (await call.ReadAsync())!.Message.Should().Be("x");

        await call.DisposeAsync();

        (await Task.WhenAny(cancelled.Task, Task.Delay(TimeSpan.FromSeconds(5)))).Should().Be(cancelled.Task);
    }

    [Fact]
    public async Task Client_refuses_a_response_over_its_receive_limit_with_resource_exhausted()
    {
        await using var server = await GrpcServer.StartAsync(EchoMethods.CreateRegistry("ours"));
        using var channel = new GrpcChannel(server.Address, new GrpcChannelOptions { MaxReceiveMessageSize = 1024 });

        var act = () => channel.UnaryAsync(EchoMethods.Unary, new EchoRequest { Message = new string('y', 4096) });

        (await act.Should().ThrowAsync<GrpcStatusException>()).Which.StatusCode.Should().Be(GrpcStatusCode.ResourceExhausted);
    }

    [Fact]
    public async Task Secrets_are_served_by_the_per_type_secret_service_over_delta()
    {
        var cache = new SnapshotCache();
        cache.SetSnapshot("node-1", Snapshot.Create(new Secret
        {
            Name = "default",
            TlsCertificate = new TlsCertificate { CertificateChain = new() { InlineString = "-----BEGIN CERTIFICATE-----" } },
        }));
        await using var server = await new AdsServer(cache).StartAsync();
        using var channel = new GrpcChannel(server.Address);
        var (_, service, _, delta) = DiscoveryMethods.PerTypeServices.Single(s => s.TypeUrl == TypeUrls.Secret);
        await using var stream = new XdsStream<DeltaDiscoveryRequest, DeltaDiscoveryResponse>(channel, DiscoveryMethods.Delta(service, delta));

        await stream.SendAsync(new DeltaDiscoveryRequest { Node = new() { Id = "node-1" }, ResourceNamesSubscribe = { "default" } });
        var response = await stream.NextAsync();

        response.TypeUrl.Should().Be(TypeUrls.Secret);
        response.Resources.Single().Resource_.Unpack<Secret>().Name.Should().Be("default");
    }
}
