using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf.WellKnownTypes;
using Istio.V1.Auth;
using Microsoft.Extensions.Logging;
using Rigging.Xds.Grpc;
using Rigging.Xds.Grpc.Client;

namespace Rigging.Proxy.Security.Agent;

/// <summary>
/// Istio's node agent, in process: generates a P-256 key and a CSR, sends it to the CA over TLS (server verified
/// against the root file), and puts the result in the <see cref="SecretStore"/> (<c>default</c> and <c>ROOTCA</c>).
/// The first request is proven by the bootstrap token; renewals present the certificate still in use as the TLS
/// client certificate (and the token too, as a fallback), so identity outlives the token. Renews at half the
/// certificate's life ± jitter; on failure retries with capped exponential backoff, and the certificate in use
/// stays until its successor arrives.
/// </summary>
public sealed partial class CertificateAgent : IAsyncDisposable
{
    public static readonly GrpcMethod<IstioCertificateRequest, IstioCertificateResponse> CreateCertificate =
        new("istio.v1.auth.IstioCertificateService", "CreateCertificate", IstioCertificateRequest.Parser, IstioCertificateResponse.Parser);

    private readonly CertificateAgentOptions _options;
    private readonly SecretStore _secrets;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly ILogger _logger;
    private (X509Certificate2 Certificate, X509Certificate2Collection Intermediates)? _current;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private X509Certificate2Collection _roots = [];
    private Task? _loop;
    private int _issued;
    private int _failures;

    public CertificateAgent(CertificateAgentOptions options, SecretStore secrets, TimeProvider time, Random random, ILogger logger)
    {
        _options = options;
        _secrets = secrets;
        _time = time;
        _random = random;
        _logger = logger;
    }

    /// <summary>Completes when the first certificate is installed.</summary>
    public Task FirstCertificate => _first.Task;

    /// <summary>How many certificates have been installed.</summary>
    public int Issued => Volatile.Read(ref _issued);

    /// <summary>Failed attempts since start.</summary>
    public int Failures => Volatile.Read(ref _failures);

    public string Identity => $"spiffe://{_options.TrustDomain}/ns/{_options.Namespace}/sa/{_options.ServiceAccount}";

    /// <summary>The last error, when the last attempt failed.</summary>
    public string? LastError { get; private set; }

    /// <summary>When the next renewal is due (for tests and /certs).</summary>
    public DateTimeOffset? NextRenewal { get; private set; }

    public void Start() => _loop ??= Task.Run(() => RunAsync(_stop.Token));

    private async Task RunAsync(CancellationToken stop)
    {
        var backoff = _options.InitialBackoff;
        while (!stop.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                var (notBefore, notAfter) = await RenewOnceAsync(stop).ConfigureAwait(false);
                backoff = _options.InitialBackoff;
                wait = RenewalDelay(notBefore, notAfter);
                AgentLog.Installed(_logger, Identity, notAfter, wait);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is GrpcStatusException or CryptographicException or InvalidOperationException or IOException or HttpRequestException or FormatException)
            {
                Interlocked.Increment(ref _failures);
                LastError = e.Message;
                wait = Jittered(backoff);
                AgentLog.Failed(_logger, Identity, e.Message, wait);
                backoff = backoff * 2 < _options.MaxBackoff ? backoff * 2 : _options.MaxBackoff;
            }

            NextRenewal = _time.GetUtcNow() + wait;
            try
            {
                await Task.Delay(wait, _time, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One CSR round trip; installs the certificate and returns its validity.</summary>
    public async Task<(DateTimeOffset NotBefore, DateTimeOffset NotAfter)> RenewOnceAsync(CancellationToken cancellationToken)
    {
        var roots = RootTrust.Load(_options.RootCertFile);
        Volatile.Write(ref _roots, roots);
        var current = StillValid(_current);
        string token;
        try
        {
            token = _options.Token().Trim();
        }
        catch (IOException) when (current is not null)
        {
            token = ""; // the token file may be gone after start-up; the certificate in use proves who we are
        }
        if (token.Length == 0 && current is null) throw new InvalidOperationException("the bootstrap token is empty (--token-file or RIG_TOKEN)");

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName(string.Empty), key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddUri(new Uri(Identity));
        request.CertificateExtensions.Add(san.Build(critical: true));
        var message = new IstioCertificateRequest
        {
            Csr = request.CreateSigningRequestPem(),
            ValidityDuration = _options.RequestedTtl is { } ttl ? (long)ttl.TotalSeconds : 0,
            Metadata = new Struct { Fields = { ["WorkloadNamespace"] = Value.ForString(_options.Namespace) } },
        };
        // A channel per call: renewals are hours apart, and each must present the certificate in use at that time.
        using var channel = new GrpcChannel(_options.CaAddress, new GrpcChannelOptions
        {
            ServerCertificateValidation = RootTrust.Validator(() => Volatile.Read(ref _roots)),
            ClientCertificate = current is { } held ? SslStreamCertificateContext.Create(held.Certificate, held.Intermediates, offline: true) : null,
            ConnectTimeout = _options.CallTimeout,
            TimeProvider = _time,
        });
        var response = await channel.UnaryAsync(CreateCertificate, message, new GrpcCallOptions
        {
            Metadata = token.Length == 0 ? [] : [new("authorization", "Bearer " + token)],
            Timeout = _options.CallTimeout,
            CancellationToken = cancellationToken,
        }).ConfigureAwait(false);

        var (identity, intermediates) = Install(response, key, roots);
        _current = (identity, intermediates);
        _secrets.Set(SecretStore.RootCa, SecretModel.Trust(roots));
        _secrets.Set(SecretStore.WorkloadIdentity, SecretModel.Identity(identity, intermediates));
        Interlocked.Increment(ref _issued);
        LastError = null;
        _first.TrySetResult();
        return (new DateTimeOffset(identity.NotBefore.ToUniversalTime()), new DateTimeOffset(identity.NotAfter.ToUniversalTime()));
    }

    private (X509Certificate2 Identity, X509Certificate2Collection Intermediates) Install(IstioCertificateResponse response, ECDsa key, X509Certificate2Collection roots)
    {
        if (response.CertChain.Count == 0) throw new InvalidOperationException("the CA answered with an empty certificate chain");
        using var leaf = X509Certificate2.CreateFromPem(response.CertChain[0]);
        using (var theirs = leaf.GetECDsaPublicKey())
        {
            if (theirs is null || !theirs.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(key.ExportSubjectPublicKeyInfo()))
                throw new InvalidOperationException("the CA returned a certificate for another key");
        }

        // Everything between the leaf and the root; the root itself is what we already trust.
        var intermediates = new X509Certificate2Collection();
        for (int i = 1; i < response.CertChain.Count; i++)
        {
            var cert = X509Certificate2.CreateFromPem(response.CertChain[i]);
            if (!IsIn(cert, roots)) intermediates.Add(cert);
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.ExtraStore.AddRange(intermediates);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = _time.GetUtcNow().UtcDateTime;
        if (!chain.Build(leaf))
            throw new InvalidOperationException($"the CA's certificate does not chain to --ca-root-file: {string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()))}");
        return (UsableCertificate.Create(leaf, key), intermediates);
    }

    /// <summary>The certificate in use while it can still prove who we are (a minute of margin for clock skew).</summary>
    private (X509Certificate2 Certificate, X509Certificate2Collection Intermediates)? StillValid((X509Certificate2 Certificate, X509Certificate2Collection Intermediates)? held) =>
        held is { } h && h.Certificate.NotAfter.ToUniversalTime() - TimeSpan.FromMinutes(1) > _time.GetUtcNow().UtcDateTime ? held : null;

    private static bool IsIn(X509Certificate2 cert, X509Certificate2Collection set)
    {
        foreach (var candidate in set)
        {
            if (candidate.RawDataMemory.Span.SequenceEqual(cert.RawDataMemory.Span)) return true;
        }
        return false;
    }

    /// <summary>Half the life from notBefore, moved by ±<see cref="CertificateAgentOptions.Jitter"/> of the life.</summary>
    private TimeSpan RenewalDelay(DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        var life = notAfter - notBefore;
        double shift;
        lock (_random)
        {
            shift = (_random.NextDouble() * 2 - 1) * _options.Jitter;
        }
        var due = notBefore + life / 2 + life * shift;
        var delay = due - _time.GetUtcNow();
        return delay > TimeSpan.Zero ? delay : TimeSpan.Zero;
    }

    private TimeSpan Jittered(TimeSpan backoff)
    {
        double factor;
        lock (_random)
        {
            factor = 0.5 + _random.NextDouble() * 0.5;
        }
        return backoff * factor;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null) await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }

    private static partial class AgentLog
    {
        [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "certificate for {Identity} installed, valid until {NotAfter}; renewal in {Wait}")]
        public static partial void Installed(ILogger logger, string identity, DateTimeOffset notAfter, TimeSpan wait);

        [LoggerMessage(EventId = 201, Level = LogLevel.Warning, Message = "certificate for {Identity} not obtained: {Reason}; retry in {Wait}")]
        public static partial void Failed(ILogger logger, string identity, string reason, TimeSpan wait);
    }
}
