using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace Rigging.ControlPlane.Security;

/// <summary>
/// The xDS TLS port's certificate, issued by the CA (DNS localhost, istiod.istio-system.svc, the host name; IP
/// 127.0.0.1) and renewed at two thirds of its life by a timer: new handshakes take the new one, no restart.
/// </summary>
public sealed class ServingCertificate : IDisposable
{
    private readonly CertificateAuthority _ca;
    private readonly TimeSpan _ttl;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ITimer _timer;
    private volatile SslStreamCertificateContext _context;
    private X509Certificate2 _current;

    public ServingCertificate(CertificateAuthority ca, TimeSpan ttl, TimeProvider time, ILogger logger)
    {
        _ca = ca;
        _ttl = ttl;
        _time = time;
        _logger = logger;
        (_current, _context) = Create();
        _timer = time.CreateTimer(_ => Renew(), null, RenewalDelay(), Timeout.InfiniteTimeSpan);
    }

    public X509Certificate2 Current => Volatile.Read(ref _current);

    /// <summary>What each handshake uses (certificate plus intermediates, built once per renewal).</summary>
    public SslStreamCertificateContext Context => _context;

    public static IReadOnlyList<string> DnsNames()
    {
        var names = new List<string> { "localhost", "istiod.istio-system.svc" };
        var host = Dns.GetHostName();
        if (!string.IsNullOrEmpty(host) && !names.Contains(host, StringComparer.OrdinalIgnoreCase)) names.Add(host);
        return names;
    }

    private (X509Certificate2, SslStreamCertificateContext) Create()
    {
        var cert = _ca.IssueServing(DnsNames(), [IPAddress.Loopback], _ttl);
        return (cert, SslStreamCertificateContext.Create(cert, _ca.Intermediates, offline: true));
    }

    private TimeSpan RenewalDelay()
    {
        var left = Current.NotAfter.ToUniversalTime() - _time.GetUtcNow().UtcDateTime;
        var delay = left * 2 / 3;
        return delay < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : delay;
    }

    private void Renew()
    {
        try
        {
            var (cert, context) = Create();
            _context = context;
            // The old certificate is not disposed: handshakes in progress may still hold it.
            Volatile.Write(ref _current, cert);
            CaLog.ServingRenewed(_logger, cert.NotAfter);
            _timer.Change(RenewalDelay(), Timeout.InfiniteTimeSpan);
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or IOException)
        {
            CaLog.ServingRenewalFailed(_logger, e.Message);
            _timer.Change(TimeSpan.FromSeconds(30), Timeout.InfiniteTimeSpan);
        }
    }

    public void Dispose() => _timer.Dispose();
}
