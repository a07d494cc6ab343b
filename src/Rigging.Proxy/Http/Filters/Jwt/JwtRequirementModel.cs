using System.Collections.Immutable;

namespace Rigging.Proxy.Http.Filters.Jwt;

/// <summary>
/// A compiled JwtRequirement, evaluated as Envoy's verifiers are: a provider needs a token from its locations and
/// every such token valid (a good token beside a bad one must not pass); requires_any passes on the first child
/// that passes and otherwise reports its most telling failure; requires_all fails on the first failing child;
/// allow_missing passes when no token is present and fails on an invalid one; allow_missing_or_failed always passes.
/// </summary>
public abstract class JwtRequirementModel
{
    public static readonly JwtRequirementModel AllowAll = new Always();

    public abstract ValueTask<JwtStatus> EvaluateAsync(JwtRequest request);

    public static JwtRequirementModel Provider(JwtProviderModel provider, ImmutableArray<string> audiences) => new ProviderRequirement(provider, audiences);

    public static JwtRequirementModel Any(ImmutableArray<JwtRequirementModel> children) => new AnyRequirement(children);

    public static JwtRequirementModel All(ImmutableArray<JwtRequirementModel> children) => new AllRequirement(children);

    public static JwtRequirementModel AllowMissing(ImmutableArray<JwtProviderModel> providers, bool orFailed) => new Permissive(providers, orFailed);

    private sealed class Always : JwtRequirementModel
    {
        public override ValueTask<JwtStatus> EvaluateAsync(JwtRequest request) => ValueTask.FromResult(JwtStatus.Ok);
    }

    private sealed class ProviderRequirement(JwtProviderModel provider, ImmutableArray<string> audiences) : JwtRequirementModel
    {
        private readonly ImmutableArray<JwtProviderModel> _only = [provider];

        public override async ValueTask<JwtStatus> EvaluateAsync(JwtRequest request)
        {
            var tokens = request.Extract(_only);
            if (tokens.Count == 0) return JwtStatus.JwtMissed;
            for (var i = 0; i < tokens.Count; i++)
            {
                var status = await request.VerifyAsync(tokens[i], provider, audiences).ConfigureAwait(false);
                if (status != JwtStatus.Ok) return status;
            }
            return JwtStatus.Ok;
        }
    }

    private sealed class AnyRequirement(ImmutableArray<JwtRequirementModel> children) : JwtRequirementModel
    {
        public override async ValueTask<JwtStatus> EvaluateAsync(JwtRequest request)
        {
            // Report the most telling failure: a missing token or an issuer this child does not know says less
            // than an expired or forged token another child found (Istio's multi-provider shape relies on it).
            JwtStatus? telling = null;
            var last = JwtStatus.JwtMissed;
            foreach (var child in children)
            {
                last = await child.EvaluateAsync(request).ConfigureAwait(false);
                if (last == JwtStatus.Ok) return last;
                if (last is not JwtStatus.JwtMissed and not JwtStatus.JwtUnknownIssuer) telling = last;
            }
            return telling ?? last;
        }
    }

    private sealed class AllRequirement(ImmutableArray<JwtRequirementModel> children) : JwtRequirementModel
    {
        public override async ValueTask<JwtStatus> EvaluateAsync(JwtRequest request)
        {
            foreach (var child in children)
            {
                var status = await child.EvaluateAsync(request).ConfigureAwait(false);
                if (status != JwtStatus.Ok) return status;
            }
            return JwtStatus.Ok;
        }
    }

    /// <summary>allow_missing (and allow_missing_or_failed): tokens of the sibling providers, each checked by the provider its issuer names.</summary>
    private sealed class Permissive(ImmutableArray<JwtProviderModel> providers, bool orFailed) : JwtRequirementModel
    {
        public override async ValueTask<JwtStatus> EvaluateAsync(JwtRequest request)
        {
            var tokens = request.Extract(providers);
            for (var i = 0; i < tokens.Count; i++)
            {
                var status = await request.VerifyByIssuerAsync(tokens[i], providers).ConfigureAwait(false);
                if (status != JwtStatus.Ok && status != JwtStatus.JwtMissed && !orFailed) return status;
            }
            return JwtStatus.Ok;
        }
    }
}
