using System.Globalization;
using Envoy.Service.Discovery.V3;
using Microsoft.Extensions.Logging;
using Rigging.Xds.Cache;
using Rigging.Xds.Diagnostics;
using Rigging.Xds.Grpc;
using Rigging.Xds.Grpc.Server;

namespace Rigging.Xds.Server;

/// <summary>
/// One state-of-the-world stream (ADS, or a per-type service when <c>fixedTypeUrl</c> is set):
/// 1. a request with a stale nonce is ignored;
/// 2. a request with the latest nonce ACKs or (with error_detail) NACKs it: the status records it and the
///    client stays on its last ACKed version until a newer snapshot;
/// 3. the resource names replace the subscription (wildcard rules in <see cref="Subscription"/>);
/// 4. then every subscribed type whose resources changed (or whose subscription did) gets a response,
///    in make-before-break order; a cluster that disappeared stays in the cluster response until the
///    listeners and routes that could still use it have been ACKed.
/// </summary>
internal sealed class SotwStream(SnapshotCache cache, string? fixedTypeUrl, ILogger logger)
{
    private readonly Dictionary<string, TypeState> _types = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PreparedResponse> _desired = new(StringComparer.Ordinal);
    private long _nonce;

    public async Task RunAsync(
        GrpcStreamReader<DiscoveryRequest> requests, GrpcStreamWriter<DiscoveryResponse> responses, GrpcServerCallContext context)
    {
        using var session = new StreamSession<DiscoveryRequest>(cache, fixedTypeUrl, logger, "SotW", context.Peer);
        await session.RunAsync(requests, r => Handle(session, r), () => RespondAsync(session, responses), context.CancellationToken).ConfigureAwait(false);
    }

    private void Handle(StreamSession<DiscoveryRequest> session, DiscoveryRequest request)
    {
        string typeUrl = session.Accept(request.Node, request.TypeUrl);
        if (!_types.TryGetValue(typeUrl, out var state))
        {
            _types[typeUrl] = state = new TypeState(new Subscription(typeUrl));
            session.SetSubscribedTypes(_types.Keys);
        }

        bool first = state.Requests++ == 0;
        if (request.ResponseNonce.Length > 0)
        {
            if (request.ResponseNonce != state.SentNonce)
            {
                return; // stale: answers a response that a newer one has replaced
            }

            if (request.ErrorDetail is { } error)
            {
                session.Status!.Nacked(typeUrl, state.SentVersion, error.Message);
                XdsLog.Nacked(logger, session.NodeId!, typeUrl, state.SentVersion, error.Message);
            }
            else
            {
                state.AckedNonce = request.ResponseNonce;
                session.Status!.Acked(typeUrl, request.VersionInfo);
            }
        }

        bool changed = state.Subscription.Replace(request.ResourceNames, first);
        if (changed || request.ResponseNonce.Length == 0)
        {
            state.Force = true;
        }
    }

    private async Task RespondAsync(StreamSession<DiscoveryRequest> session, GrpcStreamWriter<DiscoveryResponse> responses)
    {
        if (session.Latest is not { } snapshot)
        {
            return; // no snapshot for this node yet: requests wait until one is set
        }

        // Pass 1: what each subscribed type should hold now (remembered per subscription: an ACK round, or a
        // snapshot that kept a type's set, selects and hashes nothing).
        var desired = _desired;
        desired.Clear();
        foreach (var (typeUrl, state) in _types)
        {
            desired[typeUrl] = state.Subscription.Select(snapshot.Get(typeUrl));
        }

        // Make before break: while listeners or routes are still on their way (sent but not ACKed, or about to
        // be sent), clusters they may still use are kept in the cluster response; they go once routes are ACKed.
        if (desired.TryGetValue(TypeUrls.Cluster, out var clusters) && RoutesInFlight(desired))
        {
            var sent = _types[TypeUrls.Cluster].Sent;
            List<CachedResource> retained = [];
            if (!ReferenceEquals(sent, clusters.Resources))
            {
                var wanted = clusters.Resources.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
                retained = sent.Where(old => !wanted.Contains(old.Name)).ToList();
            }
            if (retained.Count > 0)
            {
                // This stream's own union: built and serialized for it alone, as it depends on what it was sent.
                var union = clusters.Resources.Concat(retained).OrderBy(r => r.Name, StringComparer.Ordinal).ToList();
                desired[TypeUrls.Cluster] = new PreparedResponse(TypeUrls.Cluster, union, ResourceSet.VersionOfSorted(union));
            }
        }

        // Pass 2: send what changed, in make-before-break order. The body is serialized once per selection and
        // shared by every stream that sends it; each stream adds only its nonce.
        foreach (string typeUrl in TypeUrls.ResponseOrder)
        {
            if (!_types.TryGetValue(typeUrl, out var state))
            {
                continue;
            }

            var response = desired[typeUrl];
            if (!state.Force && response.Version == state.SentVersion)
            {
                continue;
            }

            string nonce = (++_nonce).ToString(CultureInfo.InvariantCulture);
            state.Force = false;
            state.SentVersion = response.Version;
            state.SentNonce = nonce;
            state.Sent = response.Resources;
            session.Status!.Sent(typeUrl, response.Version, nonce);
            await responses.WriteSerializedAsync(response.Body, PreparedResponse.NonceField(nonce)).ConfigureAwait(false);
        }
    }

    private bool RoutesInFlight(Dictionary<string, PreparedResponse> desired)
    {
        foreach (string typeUrl in (ReadOnlySpan<string>)[TypeUrls.Listener, TypeUrls.RouteConfiguration])
        {
            if (_types.TryGetValue(typeUrl, out var state) && (desired[typeUrl].Version != state.SentVersion || state.AckedNonce != state.SentNonce))
            {
                return true;
            }
        }

        return false;
    }

    private sealed class TypeState(Subscription subscription)
    {
        public Subscription Subscription { get; } = subscription;

        public int Requests { get; set; }

        public bool Force { get; set; }

        public string? SentVersion { get; set; }

        public string? SentNonce { get; set; }

        public string? AckedNonce { get; set; }

        public IReadOnlyList<CachedResource> Sent { get; set; } = [];
    }
}
