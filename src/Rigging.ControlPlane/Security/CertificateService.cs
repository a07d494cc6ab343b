using Istio.V1.Auth;
using Microsoft.Extensions.Logging;
using Rigging.Xds.Grpc;
using Rigging.Xds.Grpc.Server;

namespace Rigging.ControlPlane.Security;

/// <summary>
/// Istio's <c>IstioCertificateService/CreateCertificate</c>: the caller presents <c>authorization: Bearer &lt;bootstrap
/// token&gt;</c>; the token names the only identity it may get a certificate for.
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
        var token = BearerToken(context.RequestHeaders.Authorization.ToString());
        var check = _tokens.Check(token, out var claims);
        if (check != TokenCheck.Valid || claims is null) throw Refuse(context, GrpcStatusCode.Unauthenticated, TokenMessage(check));

        var identity = new SpiffeId(_ca.TrustDomain, claims.Namespace, claims.ServiceAccount);
        TimeSpan? ttl = request.ValidityDuration > 0 ? TimeSpan.FromSeconds(Math.Min(request.ValidityDuration, (long)TimeSpan.FromDays(3650).TotalSeconds)) : null;
        var result = _ca.SignWorkload(request.Csr, identity, ttl);
        switch (result.Outcome)
        {
            case CsrOutcome.Signed:
                var response = new IstioCertificateResponse();
                response.CertChain.AddRange(result.ChainPem);
                CaLog.Signed(_logger, identity.ToString(), claims.Id, context.Peer, claims.Expires);
                return Task.FromResult(response);
            case CsrOutcome.IdentityNotGranted:
                throw Refuse(context, GrpcStatusCode.PermissionDenied, result.Error!);
            default:
                throw Refuse(context, GrpcStatusCode.InvalidArgument, result.Error!);
        }
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
