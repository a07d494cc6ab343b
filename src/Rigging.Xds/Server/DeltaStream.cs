using System.Globalization;
using Envoy.Service.Discovery.V3;
using Microsoft.Extensions.Logging;
using Rigging.Xds.Cache;
using Rigging.Xds.Diagnostics;
using Rigging.Xds.Grpc;
using Rigging.Xds.Grpc.Server;

namespace Rigging.Xds.Server;

/// <summary>
/// One incremental (delta) stream. Per type it tracks what the client holds (name → version, seeded from
/// initial_resource_versions) and sends only resources whose version differs, plus the names of resources
/// that disappeared. ACK/NACK match the outstanding nonces; an unknown nonce is stale and only its
/// subscription changes are applied.
/// </summary>
internal sealed class DeltaStream(SnapshotCache cache, string? fixedTypeUrl, ILogger logger)
{
    private readonly Dictionary<string, TypeState> _types = new(StringComparer.Ordinal);
    private long _nonce;

    public async Task RunAsync(
        GrpcStreamReader<DeltaDiscoveryRequest> requests, GrpcStreamWriter<DeltaDiscoveryResponse> responses, GrpcServerCallContext context)
    {
        using var session = new StreamSession<DeltaDiscoveryRequest>(cache, fixedTypeUrl, logger, "delta", context.Peer);
        await session.RunAsync(requests, r => Handle(session, r), () => RespondAsync(session, responses), context.CancellationToken).ConfigureAwait(false);
    }

    private void Handle(StreamSession<DeltaDiscoveryRequest> session, DeltaDiscoveryRequest request)
    {
        string typeUrl = session.Accept(request.Node, request.TypeUrl);
        if (!_types.TryGetValue(typeUrl, out var state))
        {
            _types[typeUrl] = state = new TypeState(new Subscription(typeUrl));
            session.SetSubscribedTypes(_types.Keys);
        }

        bool first = state.Requests++ == 0;
        if (first)
        {
            foreach (var (name, version) in request.InitialResourceVersions)
            {
                state.ClientVersions[name] = version;
            }

            state.Force = true;
        }

        if (request.ResponseNonce.Length > 0 && state.Outstanding.Remove(request.ResponseNonce, out string? sentVersion))
        {
            if (request.ErrorDetail is { } error)
            {
                session.Status!.Nacked(typeUrl, sentVersion, error.Message);
                XdsLog.Nacked(logger, session.NodeId!, typeUrl, sentVersion, error.Message);
            }
            else
            {
                session.Status!.Acked(typeUrl, sentVersion);
            }
        }

        state.Subscription.Adjust(
            request.ResourceNamesSubscribe, request.ResourceNamesUnsubscribe, first, request.ResourceNamesSubscribe.Count == 0);
        foreach (string name in request.ResourceNamesUnsubscribe)
        {
            state.ClientVersions.Remove(name);
        }

        foreach (string name in state.ClientVersions.Keys.Where(n => !state.Subscription.Covers(n)).ToList())
        {
            state.ClientVersions.Remove(name);
        }

        // A re-subscribe to a name the client already holds must be answered even when nothing changed.
        foreach (string name in request.ResourceNamesSubscribe)
        {
            state.ClientVersions.Remove(name);
        }
    }

    private async Task RespondAsync(StreamSession<DeltaDiscoveryRequest> session, GrpcStreamWriter<DeltaDiscoveryResponse> responses)
    {
        if (session.Latest is not { } snapshot)
        {
            return;
        }

        foreach (string typeUrl in TypeUrls.ResponseOrder)
        {
            if (!_types.TryGetValue(typeUrl, out var state))
            {
                continue;
            }

            ResourceSet set = snapshot.Get(typeUrl);
            var response = new DeltaDiscoveryResponse { TypeUrl = typeUrl, SystemVersionInfo = set.Version };
            foreach (var resource in state.Subscription.Select(set).Resources)
            {
                if (!state.ClientVersions.TryGetValue(resource.Name, out string? held) || held != resource.Version)
                {
                    response.Resources.Add(new Resource { Name = resource.Name, Version = resource.Version, Resource_ = resource.Any });
                    state.ClientVersions[resource.Name] = resource.Version;
                }
            }

            foreach (string name in state.ClientVersions.Keys.Where(n => !set.Resources.ContainsKey(n)).ToList())
            {
                response.RemovedResources.Add(name);
                state.ClientVersions.Remove(name);
            }

            if (response.Resources.Count == 0 && response.RemovedResources.Count == 0 && !state.Force)
            {
                continue;
            }

            state.Force = false;
            response.Nonce = (++_nonce).ToString(CultureInfo.InvariantCulture);
            state.Outstanding[response.Nonce] = set.Version;
            session.Status!.Sent(typeUrl, set.Version, response.Nonce);
            await responses.WriteAsync(response).ConfigureAwait(false);
        }
    }

    private sealed class TypeState(Subscription subscription)
    {
        public Subscription Subscription { get; } = subscription;

        public Dictionary<string, string> ClientVersions { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, string> Outstanding { get; } = new(StringComparer.Ordinal);

        public int Requests { get; set; }

        public bool Force { get; set; }
    }
}
