using System.Collections.Immutable;

namespace Rigging.Proxy.Http.Filters.Jwt;

/// <summary>
/// One request's JWT work: tokens are parsed once and each (token, provider, audiences) is verified once however
/// many requirements ask (Istio's shape asks twice: the provider, then allow_missing). Created only for requests
/// a rule matches.
/// </summary>
public sealed class JwtRequest(HttpFilterContext context)
{
    private static readonly List<(string Token, JwtProviderModel Provider, ImmutableArray<string> Audiences, JwtStatus Status)> NoChecks = [];
    private static readonly List<(string Token, JwtStatus Status, ParsedJwt? Jwt)> NoParses = [];
    private static readonly List<VerifiedJwt> NoneVerified = [];

    // Made on first use: most requests carry no token and need none of them.
    private List<(string Token, JwtStatus Status, ParsedJwt? Jwt)>? _parsed;
    private List<(string Token, JwtProviderModel Provider, ImmutableArray<string> Audiences, JwtStatus Status)>? _checked;
    private List<VerifiedJwt>? _verified;

    public HttpFilterContext Context => context;

    /// <summary>Tokens that passed, in the order they passed.</summary>
    public IReadOnlyList<VerifiedJwt> Verified => (IReadOnlyList<VerifiedJwt>?)_verified ?? [];

    /// <summary>Every token the locations of <paramref name="providers"/> hold (a shared empty list when none).</summary>
    public IReadOnlyList<ExtractedJwt> Extract(ImmutableArray<JwtProviderModel> providers)
    {
        List<ExtractedJwt>? tokens = null;
        foreach (var provider in providers) provider.Extract(context.Http.Request, ref tokens);
        return (IReadOnlyList<ExtractedJwt>?)tokens ?? [];
    }

    /// <summary>Verifies <paramref name="token"/> for a named provider (its issuer must be the provider's).</summary>
    public async ValueTask<JwtStatus> VerifyAsync(ExtractedJwt token, JwtProviderModel provider, ImmutableArray<string> audiences)
    {
        foreach (var done in _checked ?? NoChecks)
        {
            if (ReferenceEquals(done.Provider, provider) && done.Audiences == audiences && string.Equals(done.Token, token.Token, StringComparison.Ordinal)) return done.Status;
        }
        var status = Parse(token.Token, out var jwt);
        if (status == JwtStatus.Ok)
            status = await JwtAuthenticator.VerifyAsync(jwt!, provider, audiences, context.Time, context.Http.RequestAborted).ConfigureAwait(false);
        (_checked ??= []).Add((token.Token, provider, audiences, status));
        if (status == JwtStatus.Ok && !IsVerified(token.Token, provider)) (_verified ??= []).Add(new VerifiedJwt(token, provider, jwt!));
        return status;
    }

    /// <summary>Verifies <paramref name="token"/> with whichever of <paramref name="candidates"/> its issuer names (allow_missing and allow_missing_or_failed).</summary>
    public ValueTask<JwtStatus> VerifyByIssuerAsync(ExtractedJwt token, ImmutableArray<JwtProviderModel> candidates)
    {
        var status = Parse(token.Token, out var jwt);
        if (status != JwtStatus.Ok) return ValueTask.FromResult(status);
        foreach (var provider in candidates)
        {
            if (provider.Issuer.Length == 0 || string.Equals(provider.Issuer, jwt!.Issuer, StringComparison.Ordinal))
                return VerifyAsync(token, provider, provider.Audiences);
        }
        return ValueTask.FromResult(JwtStatus.JwtUnknownIssuer);
    }

    private JwtStatus Parse(string token, out ParsedJwt? jwt)
    {
        foreach (var done in _parsed ?? NoParses)
        {
            if (string.Equals(done.Token, token, StringComparison.Ordinal))
            {
                jwt = done.Jwt;
                return done.Status;
            }
        }
        var status = JwtParser.TryParse(token, out jwt);
        (_parsed ??= []).Add((token, status, jwt));
        return status;
    }

    private bool IsVerified(string token, JwtProviderModel provider)
    {
        foreach (var v in _verified ?? NoneVerified)
        {
            if (ReferenceEquals(v.Provider, provider) && string.Equals(v.Token.Token, token, StringComparison.Ordinal)) return true;
        }
        return false;
    }
}
