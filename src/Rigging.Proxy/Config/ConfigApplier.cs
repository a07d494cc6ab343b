using Envoy.Config.Cluster.V3;
using Envoy.Config.Endpoint.V3;
using Envoy.Config.Listener.V3;
using Envoy.Config.Route.V3;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Rigging.Proxy.Clusters;
using Rigging.Proxy.Listeners;
using Rigging.Proxy.Telemetry;
using Rigging.Xds.Cache;
using Rigging.Xds.Client;

namespace Rigging.Proxy.Config;

/// <summary>
/// Turns each xDS update into a new snapshot, or a NACK:
/// 1. the update replaces its type's resources in a candidate set (state of the world);
/// 2. the whole candidate is compiled; a resource that cannot be applied rejects the update with its reason
///    (the compilers name the resource and the field);
/// 3. listeners are bound (a bind failure rejects the update too, and what this update bound is closed);
/// 4. stats scopes for the new stat prefixes are created, cluster states take their new models, and the
///    snapshot is swapped in with one reference write.
/// The last good snapshot keeps serving whenever an update is rejected.
/// </summary>
public sealed class ConfigApplier(
    ProxyState state, ClusterRegistry clusters, ListenerManager listeners,
    ProxyStats? stats = null, TimeProvider? time = null, ILogger? logger = null, Security.SecretStore? secrets = null)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ILogger _logger = logger ?? NullLogger.Instance;
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>Raised after an accepted update with the EDS and RDS names the proxy now needs.</summary>
    public event Action<IReadOnlyList<string>, IReadOnlyList<string>>? DependenciesChanged;

    /// <summary>Raised after an accepted update with the SDS secret names listeners and clusters refer to.</summary>
    public event Action<IReadOnlyList<string>>? SecretDependenciesChanged;

    public async Task<ApplyResult> ApplyAsync(AdsUpdate update)
    {
        // The update arrives on a socket thread, which also serves requests (InlineSocketIo): compile elsewhere.
        await Task.Yield();
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            var messages = Unpack(update);
            var candidate = state.Current.Resources.With(update.TypeUrl, update.Version, messages, _time.GetUtcNow());
            var compiled = SnapshotCompiler.Compile(candidate);
            await listeners.ApplyAsync(compiled.Listeners).ConfigureAwait(false);
            stats?.Prepare(StatPrefixes(compiled.Listeners.Values));
            var states = clusters.Commit(compiled.Clusters);
            secrets?.ReplaceFromXds(compiled.Secrets);
            state.Swap(new ProxySnapshot
            {
                Resources = candidate,
                Listeners = compiled.Listeners,
                Routes = compiled.Routes,
                Clusters = states,
            });
            ProxyLog.ConfigApplied(_logger, TypeUrls.ShortName(update.TypeUrl), update.Version, messages.Count);
            if (update.TypeUrl == TypeUrls.Listener && !state.Ready)
            {
                state.Ready = true;
                ProxyLog.Ready(_logger, string.Join(", ", listeners.Active.Select(l => $"{l.Key}={l.Value.Bound}")));
            }
            DependenciesChanged?.Invoke(
                [.. compiled.Clusters.Values.Select(c => c.EdsServiceName).OfType<string>().Distinct(StringComparer.Ordinal)],
                [.. compiled.Listeners.Values.SelectMany(RouteNames).Distinct(StringComparer.Ordinal)]);
            SecretDependenciesChanged?.Invoke(compiled.SecretNames);
            return ApplyResult.Accept();
        }
        catch (ConfigException e)
        {
            var reason = e.Message;
            state.LastRejection = new ConfigRejection(update.TypeUrl, update.Version, reason, _time.GetUtcNow());
            ProxyLog.ConfigRejected(_logger, TypeUrls.ShortName(update.TypeUrl), update.Version, reason);
            return ApplyResult.Reject(reason);
        }
        finally
        {
            _gate.Release();
        }
    }

    private static IEnumerable<string> StatPrefixes(IEnumerable<ListenerModel> models)
    {
        foreach (var listener in models)
        {
            foreach (var chain in listener.Chains)
            {
                if (chain.Filter is HttpConnectionManagerModel hcm) yield return hcm.StatPrefix;
            }
            if (listener.DefaultChain?.Filter is HttpConnectionManagerModel fallback) yield return fallback.StatPrefix;
        }
    }

    private static IEnumerable<string> RouteNames(ListenerModel listener) =>
        listener.Chains.Append(listener.DefaultChain)
            .Select(c => (c?.Filter as HttpConnectionManagerModel)?.RouteConfigName)
            .OfType<string>();

    private static List<IMessage> Unpack(AdsUpdate update)
    {
        MessageParser parser = update.TypeUrl switch
        {
            TypeUrls.Listener => Listener.Parser,
            TypeUrls.RouteConfiguration => RouteConfiguration.Parser,
            TypeUrls.Cluster => Cluster.Parser,
            TypeUrls.ClusterLoadAssignment => ClusterLoadAssignment.Parser,
            TypeUrls.Secret => Envoy.Extensions.TransportSockets.Tls.V3.Secret.Parser,
            _ => throw new ConfigException($"type {update.TypeUrl} is not one the proxy applies"),
        };
        var messages = new List<IMessage>(update.Resources.Count);
        for (var i = 0; i < update.Resources.Count; i++)
        {
            Any any = update.Resources[i];
            if (any.TypeUrl != update.TypeUrl)
                throw new ConfigException($"resources[{i}]: type_url {any.TypeUrl} arrived in a {TypeUrls.ShortName(update.TypeUrl)} update (expected {update.TypeUrl})");
            try
            {
                messages.Add(parser.ParseFrom(any.Value));
            }
            catch (InvalidProtocolBufferException e)
            {
                throw new ConfigException($"resources[{i}]: the {TypeUrls.ShortName(update.TypeUrl)} does not parse: {e.Message}");
            }
        }
        return messages;
    }
}
