using Envoy.Config.Cluster.V3;
using Envoy.Config.Endpoint.V3;
using Envoy.Config.Listener.V3;
using Envoy.Config.Route.V3;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Rigging.Proxy.Clusters;
using Rigging.Proxy.Listeners;
using Rigging.Xds.Cache;
using Rigging.Xds.Client;

namespace Rigging.Proxy.Config;

/// <summary>
/// Turns each xDS update into a new snapshot, or a NACK:
/// 1. the update replaces its type's resources in a candidate set (state of the world);
/// 2. the whole candidate is compiled; a resource that cannot be applied rejects the update with its reason;
/// 3. listeners are bound (a bind failure rejects the update too);
/// 4. cluster states take their new models, and the snapshot is swapped in with one reference write.
/// The last good snapshot keeps serving whenever an update is rejected.
/// </summary>
public sealed class ConfigApplier(ProxyState state, ClusterRegistry clusters, ListenerManager listeners)
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Raised after an accepted update with the EDS and RDS names the proxy now needs.</summary>
    public event Action<IReadOnlyList<string>, IReadOnlyList<string>>? DependenciesChanged;

    public async Task<ApplyResult> ApplyAsync(AdsUpdate update)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            var messages = Unpack(update);
            var candidate = state.Current.Resources.With(update.TypeUrl, update.Version, messages);
            var compiled = SnapshotCompiler.Compile(candidate);
            await listeners.ApplyAsync(compiled.Listeners).ConfigureAwait(false);
            var states = clusters.Commit(compiled.Clusters);
            state.Swap(new ProxySnapshot
            {
                Resources = candidate,
                Listeners = compiled.Listeners,
                Routes = compiled.Routes,
                Clusters = states,
            });
            if (update.TypeUrl == TypeUrls.Listener) state.Ready = true;
            DependenciesChanged?.Invoke(
                [.. compiled.Clusters.Values.Select(c => c.EdsServiceName).OfType<string>().Distinct(StringComparer.Ordinal)],
                [.. compiled.Listeners.Values.SelectMany(RouteNames).Distinct(StringComparer.Ordinal)]);
            return ApplyResult.Accept();
        }
        catch (ConfigException e)
        {
            return ApplyResult.Reject(e.Message);
        }
        finally
        {
            _gate.Release();
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
        foreach (Any any in update.Resources)
        {
            if (any.TypeUrl != update.TypeUrl) throw new ConfigException($"a resource of type {any.TypeUrl} arrived in a {update.TypeUrl} update");
            try
            {
                messages.Add(parser.ParseFrom(any.Value));
            }
            catch (InvalidProtocolBufferException e)
            {
                throw new ConfigException($"a {TypeUrls.ShortName(update.TypeUrl)} resource does not parse: {e.Message}");
            }
        }
        return messages;
    }
}
