namespace Rigging.Proxy.Security.Tls;

/// <summary>
/// An upstream TLS handshake that failed; <see cref="Reason"/> is the text Envoy puts after "transport failure
/// reason: " in its local reply (OpenSSL-style for a refused certificate).
/// </summary>
public sealed class UpstreamTlsException(string reason, Exception? inner = null) : IOException(reason, inner)
{
    public string Reason { get; } = reason;

    /// <summary>", transport failure reason: TLS_error: ..." when a connect failure was a TLS failure, else empty.</summary>
    public static string TransportFailureSuffix(Exception failure)
    {
        for (var e = failure; e is not null; e = e.InnerException)
        {
            if (e is UpstreamTlsException tls) return ", transport failure reason: " + tls.Reason;
        }
        return "";
    }
}
