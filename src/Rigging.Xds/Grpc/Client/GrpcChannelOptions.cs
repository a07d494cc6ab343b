using System.Net.Security;

namespace Rigging.Xds.Grpc.Client;

/// <summary>Settings of a client connection (one SocketsHttpHandler).</summary>
public sealed record GrpcChannelOptions
{
    public int MaxReceiveMessageSize { get; init; } = GrpcProtocol.DefaultMaxMessageSize;

    /// <summary>HTTP/2 PING after this much idle time; <see cref="Timeout.InfiniteTimeSpan"/> turns pings off.</summary>
    public TimeSpan KeepAlivePingDelay { get; init; } = TimeSpan.FromSeconds(60);

    public TimeSpan KeepAlivePingTimeout { get; init; } = TimeSpan.FromSeconds(20);

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A request write not taken by the server within this time fails the call.</summary>
    public TimeSpan WriteTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>For https addresses: how to check the server's certificate (null: the system's trust).</summary>
    public RemoteCertificateValidationCallback? ServerCertificateValidation { get; init; }

    /// <summary>For https addresses: the certificate (and chain) this client presents when the server asks.</summary>
    public SslStreamCertificateContext? ClientCertificate { get; init; }

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
