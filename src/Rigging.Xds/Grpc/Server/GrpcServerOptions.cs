using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace Rigging.Xds.Grpc.Server;

/// <summary>Settings of the gRPC server and of the Kestrel endpoint it listens on.</summary>
public sealed record GrpcServerOptions
{
    /// <summary>Address to bind; loopback unless told otherwise.</summary>
    public IPAddress Address { get; init; } = IPAddress.Loopback;

    /// <summary>Port to bind; 0 picks a free one (read it back from <see cref="GrpcServer.Port"/>).</summary>
    public int Port { get; init; }

    /// <summary>When set, the endpoint speaks h2 over TLS (ALPN); otherwise h2c with prior knowledge.</summary>
    public X509Certificate2? ServerCertificate { get; init; }

    public int MaxReceiveMessageSize { get; init; } = GrpcProtocol.DefaultMaxMessageSize;

    /// <summary>A response write that is not taken by the peer within this time ends the stream.</summary>
    public TimeSpan WriteTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>HTTP/2 PING after this much idle time; <see cref="Timeout.InfiniteTimeSpan"/> turns pings off.</summary>
    public TimeSpan KeepAlivePingDelay { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>A connection whose PING is not answered within this time is closed.</summary>
    public TimeSpan KeepAlivePingTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Concurrent streams per HTTP/2 connection (ADS clients hold one long stream each).</summary>
    public int MaxStreamsPerConnection { get; init; } = 1000;

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
