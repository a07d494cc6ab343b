using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http;

namespace Rigging.Xds.Grpc.Server;

/// <summary>What a handler knows about its call: metadata, peer, deadline, and a token for cancellation.</summary>
public sealed class GrpcServerCallContext
{
    internal GrpcServerCallContext(HttpContext httpContext, string method, DateTimeOffset? deadline, CancellationToken cancellationToken)
    {
        HttpContext = httpContext;
        Method = method;
        Deadline = deadline;
        CancellationToken = cancellationToken;
    }

    /// <summary>The method's path.</summary>
    public string Method { get; }

    /// <summary>When the client's <c>grpc-timeout</c> runs out, if it sent one.</summary>
    public DateTimeOffset? Deadline { get; }

    /// <summary>Cancelled when the client cancels (RST_STREAM), the connection drops or the deadline passes.</summary>
    public CancellationToken CancellationToken { get; }

    public IHeaderDictionary RequestHeaders => HttpContext.Request.Headers;

    /// <summary>"ip:port" of the peer.</summary>
    public string Peer => $"{HttpContext.Connection.RemoteIpAddress}:{HttpContext.Connection.RemotePort}";

    /// <summary>The certificate the client presented in the TLS handshake, if any (not verified here).</summary>
    public X509Certificate2? ClientCertificate => HttpContext.Connection.ClientCertificate;

    internal HttpContext HttpContext { get; }

    /// <summary>Adds a trailer sent with the status (custom metadata).</summary>
    public void AddResponseTrailer(string name, string value) => HttpContext.Response.AppendTrailer(name, value);
}
