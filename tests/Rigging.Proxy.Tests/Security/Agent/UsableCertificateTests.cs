using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using FluentAssertions;
using Rigging.Proxy.Security.Agent;

namespace Rigging.Proxy.Tests.Security.Agent;

/// <summary>The agent's certificates work as SslStream server and client certificates (mutual TLS) as they are.</summary>
public sealed class UsableCertificateTests
{
    [Fact]
    public async Task Certificates_built_from_a_csr_key_work_for_mutual_tls_with_sslstream()
    {
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var rootRequest = new CertificateRequest("CN=test root", rootKey, HashAlgorithmName.SHA256);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        var now = TimeProvider.System.GetUtcNow();
        using var root = rootRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
        using var server = Leaf(root, rootKey, "spiffe://cluster.local/ns/a/sa/server", 1);
        using var client = Leaf(root, rootKey, "spiffe://cluster.local/ns/a/sa/client", 2);
        server.HasPrivateKey.Should().BeTrue();

        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var trust = (RemoteCertificateValidationCallback)((_, cert, _, _) => cert is not null && Chains(cert, root));
        string? seenByServer = null;
        var serverSide = Task.Run(async () =>
        {
            using var socket = await listener.AcceptTcpClientAsync();
            await using var tls = new SslStream(socket.GetStream(), false, trust);
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = server, ClientCertificateRequired = true });
            seenByServer = (tls.RemoteCertificate as X509Certificate2)?.GetNameInfo(X509NameType.UrlName, false);
            await tls.WriteAsync("ok"u8.ToArray());
        });

        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        await using var stream = new SslStream(tcp.GetStream(), false, trust);
        await stream.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "server",
            ClientCertificates = [client],
            RemoteCertificateValidationCallback = trust,
        });
        var buffer = new byte[2];
        await stream.ReadExactlyAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        await serverSide.WaitAsync(TimeSpan.FromSeconds(10));

        buffer.Should().Equal("ok"u8.ToArray());
        seenByServer.Should().Be("spiffe://cluster.local/ns/a/sa/client");
        (stream.RemoteCertificate as X509Certificate2)!.GetNameInfo(X509NameType.UrlName, false).Should().Be("spiffe://cluster.local/ns/a/sa/server");
    }

    private static X509Certificate2 Leaf(X509Certificate2 root, ECDsa rootKey, string spiffe, byte serial)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName(string.Empty), key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddUri(new Uri(spiffe));
        request.CertificateExtensions.Add(san.Build(true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        var now = TimeProvider.System.GetUtcNow();
        using var cert = request.Create(root.SubjectName, X509SignatureGenerator.CreateForECDsa(rootKey), now.AddMinutes(-1), now.AddHours(1), [serial, 7]);
        return UsableCertificate.Create(cert, key);
    }

    private static bool Chains(X509Certificate cert, X509Certificate2 root)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(cert as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(cert.GetRawCertData()));
    }
}
