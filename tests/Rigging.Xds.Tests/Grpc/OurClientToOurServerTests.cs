using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using FluentAssertions;
using Rigging.Xds.Grpc;
using Rigging.Xds.Grpc.Client;
using Rigging.Xds.Grpc.Server;
using Rigging.Xds.Tests.Echo;
using Rigging.Xds.Tests.Infrastructure;
using Xunit;

namespace Rigging.Xds.Tests.Grpc;

/// <summary>Our client and server together: TLS, keepalive, and bad input on raw HTTP/2 streams.</summary>
public sealed class OurClientToOurServerTests
{
    [Fact]
    public async Task Unary_and_bidi_work_over_h2_with_tls()
    {
        using var cert = CreateSelfSigned();
        await using var server = await GrpcServer.StartAsync(EchoMethods.CreateRegistry("tls", options: new GrpcServerOptions { ServerCertificate = cert }));
        using var channel = new GrpcChannel(server.Address, new GrpcChannelOptions
        {
            ServerCertificateValidation = (_, presented, _, _) => presented is not null && presented.GetCertHashString() == cert.GetCertHashString(),
        });

        var reply = await channel.UnaryAsync(EchoMethods.Unary, new EchoRequest { Message = "secret" });
        await using var call = channel.StartDuplex(EchoMethods.Bidi);
        await call.WriteAsync(new EchoRequest { Message = "s1" });

        reply.Server.Should().Be("tls");
        (await call.ReadAsync())!.Message.Should().Be("s1");
        server.Address.Scheme.Should().Be("https");
    }

    [Fact]
    public async Task Idle_stream_survives_keepalive_pings()
    {
        var serverOptions = new GrpcServerOptions { KeepAlivePingDelay = TimeSpan.FromSeconds(1), KeepAlivePingTimeout = TimeSpan.FromSeconds(5) };
        await using var server = await GrpcServer.StartAsync(EchoMethods.CreateRegistry("ka", options: serverOptions));
        using var channel = new GrpcChannel(server.Address, new GrpcChannelOptions { KeepAlivePingDelay = TimeSpan.FromSeconds(1) });
        await using var call = channel.StartDuplex(EchoMethods.Bidi);
        await call.WriteAsync(new EchoRequest { Message = "before" });
        (await call.ReadAsync())!.Message.Should().Be("before");

        await Task.Delay(TimeSpan.FromSeconds(3));
        await call.WriteAsync(new EchoRequest { Message = "after" });

        (await call.ReadAsync())!.Message.Should().Be("after");
    }

    [Theory]
    [InlineData(new byte[] { 0, 0, 0, 0, 5, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, 13)] // protobuf garbage
    [InlineData(new byte[] { 0, 0, 0, 0, 9, 1, 2 }, 13)] // stream ends inside a frame
    [InlineData(new byte[] { 1, 0, 0, 0, 1, 0 }, 13)] // compressed without grpc-encoding
    [InlineData(new byte[] { 0, 0x7F, 0xFF, 0xFF, 0xFF }, 8)] // 2 GiB declared length
    public async Task Bad_input_ends_only_that_stream_with_a_status(byte[] body, int expectedStatus)
    {
        await using var server = await GrpcServer.StartAsync(EchoMethods.CreateRegistry("bad"));
        using var channel = new GrpcChannel(server.Address);
        await using var healthy = channel.StartDuplex(EchoMethods.Bidi);
        await healthy.WriteAsync(new EchoRequest { Message = "still here" });
        (await healthy.ReadAsync())!.Message.Should().Be("still here");

        using var raw = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.Address, EchoMethods.Bidi.Path))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/grpc") } },
        };
        using var response = await raw.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();
        string status = response.TrailingHeaders.TryGetValues("grpc-status", out var t) ? t.First()
            : response.Headers.GetValues("grpc-status").First();

        status.Should().Be(expectedStatus.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await healthy.WriteAsync(new EchoRequest { Message = "and still" });
        (await healthy.ReadAsync())!.Message.Should().Be("and still");
    }

    [Fact]
    public async Task Client_that_never_reads_loses_its_stream_and_others_keep_serving()
    {
        var options = new GrpcServerOptions { WriteTimeout = TimeSpan.FromSeconds(1) };
        await using var server = await GrpcServer.StartAsync(EchoMethods.CreateRegistry("slow", options: options));
        using var channel = new GrpcChannel(server.Address);
        await using var stuck = channel.StartDuplex(EchoMethods.Bidi);
        string big = new('x', 60_000);
        var writes = Task.Run(async () =>
        {
            try
            {
                for (int i = 0; i < 200; i++)
                {
                    await stuck.WriteAsync(new EchoRequest { Message = big });
                }
            }
            catch (GrpcStatusException)
            {
                // expected once the server gives up on us
            }
        });

        var finished = await Task.WhenAny(writes, Task.Delay(TimeSpan.FromSeconds(20)));
        var reply = await channel.UnaryAsync(EchoMethods.Unary, new EchoRequest { Message = "ok" });

        finished.Should().Be(writes, "the server must end a stream whose client does not read");
        reply.Message.Should().Be("ok");
    }

    [Fact]
    public void Grpc_timeout_header_parses_every_unit()
    {
        GrpcTimeout.TryParse("1H", out var h).Should().BeTrue();
        GrpcTimeout.TryParse("250m", out var ms).Should().BeTrue();
        GrpcTimeout.TryParse("3S", out var s).Should().BeTrue();
        GrpcTimeout.TryParse("123456789m", out _).Should().BeFalse("at most 8 digits");
        GrpcTimeout.TryParse("5x", out _).Should().BeFalse();

        h.Should().Be(TimeSpan.FromHours(1));
        ms.Should().Be(TimeSpan.FromMilliseconds(250));
        s.Should().Be(TimeSpan.FromSeconds(3));
        GrpcTimeout.Format(TimeSpan.FromSeconds(2)).Should().Be("2000m");
    }

    private static X509Certificate2 CreateSelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        var now = TimeProvider.System.GetUtcNow();
        using var cert = request.CreateSelfSigned(now.AddMinutes(-5), now.AddHours(1));
        return X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pkcs12), null);
    }
}
