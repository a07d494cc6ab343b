using Istio.V1.Auth;
using Microsoft.Extensions.Logging;
using Rigging.Xds.Grpc;
using Rigging.Xds.Grpc.Server;

namespace Rigging.ControlPlane.Security;

/// <summary>
/// Istio's <c>IstioCertificateService/CreateCertificate</c>. The caller proves who it is with a client certificate this
/// CA issued and that is still valid (a renewal: the same identity again), or else with <c>authorization: Bearer
/// &lt;bootstrap token&gt;</c>, which names the only identity it may get a certificate for.
/// </summary>
public sealed class CertificateService
{
    public static readonly GrpcMethod<IstioCertificateRequest, IstioCertificateResponse> CreateCertificate =
        new("istio.v1.auth.IstioCertificateService", "CreateCertificate", IstioCertificateRequest.Parser, IstioCertificateResponse.Parser);

    private readonly CertificateAuthority _ca;
    private readonly BootstrapTokens _tokens;
    private readonly ILogger _logger;

    public CertificateService(CertificateAuthority ca, BootstrapTokens tokens, ILogger logger)
    {
        _ca = ca;
        _tokens = tokens;
        _logger = logger;
    }

    public GrpcServiceRegistry Register(GrpcServiceRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry.AddUnary(CreateCertificate, HandleAsync);
    }

    private Task<IstioCertificateResponse> HandleAsync(IstioCertificateRequest request, GrpcServerCallContext context)
    {
        var (identity, credential) = Authenticate(context);
        TimeSpan? ttl = request.ValidityDuration > 0 ? TimeSpan.FromSeconds(Math.Min(request.ValidityDuration, (long)TimeSpan.FromDays(3650).TotalSeconds)) : null;
        var result = _ca.SignWorkload(request.Csr, identity, ttl);
        switch (result.Outcome)
        {
            case CsrOutcome.Signed:
                var response = new IstioCertificateResponse();
                response.CertChain.AddRange(result.ChainPem);
                CaLog.Signed(_logger, identity.ToString(), credential, context.Peer);
                return Task.FromResult(response);
            case CsrOutcome.IdentityNotGranted:
                throw Refuse(context, GrpcStatusCode.PermissionDenied, result.Error!);
            default:
                throw Refuse(context, GrpcStatusCode.InvalidArgument, result.Error!);
        }
    }

    /// <summary>The identity the caller proved and a description of how (for the log).</summary>
    private (SpiffeId Identity, string Credential) Authenticate(GrpcServerCallContext context)
    {
        string? certificateProblem = null;
        if (context.ClientCertificate is { } presented)
        {
            if (_ca.IdentityOf(presented, out certificateProblem) is { } proven)
                return (proven, $"certificate {presented.SerialNumber} valid until {presented.NotAfter.ToUniversalTime():u}");
        }

        var token = BearerToken(context.RequestHeaders.Authorization.ToString());
        var check = _tokens.Check(token, out var claims);
        if (check == TokenCheck.Valid && claims is not null)
            return (new SpiffeId(_ca.TrustDomain, claims.Namespace, claims.ServiceAccount), $"token {claims.Id} valid until {claims.Expires:u}");
        var reason = TokenMessage(check);
        throw Refuse(context, GrpcStatusCode.Unauthenticated, certificateProblem is null ? reason : $"{certificateProblem}; and {reason}");
    }

    private GrpcStatusException Refuse(GrpcServerCallContext context, GrpcStatusCode code, string reason)
    {
        CaLog.Refused(_logger, context.Peer, reason);
        return new GrpcStatusException(code, reason);
    }

    private static string? BearerToken(string header)
    {
        const string scheme = "Bearer ";
        return header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) ? header[scheme.Length..].Trim() : null;
    }

    private static string TokenMessage(TokenCheck check) => check switch
    {
        TokenCheck.Missing => "no bootstrap token: send 'authorization: Bearer <token>' (create one with `rig token create`)",
        TokenCheck.Expired => "the bootstrap token has expired; create a new one with `rig token create`",
        TokenCheck.BadSignature => "the bootstrap token was not issued by this control plane (forged, or its token key was rotated)",
        _ => "the bootstrap token is malformed",
    };
}
