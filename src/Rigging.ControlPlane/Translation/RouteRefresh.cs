using System.Collections;
using System.Collections.Concurrent;
using Envoy.Config.Route.V3;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Rigging.ControlPlane.Model;

namespace Rigging.ControlPlane.Translation;

/// <summary>
/// A sidecar's outbound route table after a change to VirtualServices alone, built from the table of its previous
/// push: a virtual host the change may touch gets its routes rebuilt (<see cref="VirtualHostBuilder.Routes"/>;
/// its name and domains come from services and the proxy's namespace, which did not change); every other virtual
/// host (and the catch-all after them) is the previous push's object, shared. Equal to what <see cref="ProxyGenerator.Generate"/> builds for the
/// new push (a test compares the bytes after each kind of VirtualService change).
/// </summary>
public static class RouteRefresh
{
    /// <summary>
    /// The refreshed outbound table, the previous one when no virtual host of it is touched, or null when the
    /// previous table does not line up with the proxy's services (then the caller translates the view whole).
    /// </summary>
    /// <param name="touched">Names (host:port) of the virtual hosts whose routes may have changed.</param>
    /// <param name="clusterExists">The proxy's clusters, unchanged by the push (routes to others answer 503).</param>
    public static RouteConfiguration? Outbound(ProxyView proxy, PushContext push, RouteConfiguration previous,
        IReadOnlySet<string> touched, Func<string, bool> clusterExists)
    {
        ArgumentNullException.ThrowIfNull(proxy);
        ArgumentNullException.ThrowIfNull(push);
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(touched);
        RouteConfiguration? next = null;
        var index = 0;
        // The previous table was generated from the same services in the same order: pair them by position.
        foreach (var service in Visibility.ServicesFor(proxy, push))
        {
            foreach (var port in service.Ports)
            {
                if (index >= previous.VirtualHosts.Count) return null;
                var vhost = previous.VirtualHosts[index];
                var name = VirtualHostBuilder.Name(service.Hostname, port.Port);
                if (vhost.Name != name) return null;
                if (touched.Contains(name))
                {
                    next ??= CopyExcept(previous, RouteConfiguration.VirtualHostsFieldNumber, previous.VirtualHosts);
                    var rebuilt = CopyExcept(vhost, VirtualHost.RoutesFieldNumber, Array.Empty<Route>());
                    rebuilt.Routes.AddRange(VirtualHostBuilder.Routes(service, port, proxy, push, "mesh"));
                    MissingClusters.Replace(rebuilt, clusterExists, push.Issues);
                    next.VirtualHosts[index] = rebuilt;
                }
                index++;
            }
        }
        // Virtual hosts after the services' (the catch-all for unknown authorities) name no service: kept as they are.
        for (; index < previous.VirtualHosts.Count; index++)
        {
            if (touched.Contains(previous.VirtualHosts[index].Name)) return null;
        }
        return next ?? previous;
    }

    /// <summary>
    /// Issues of the previous push that still hold: every issue but missing clusters, and missing clusters of
    /// virtual hosts the change left alone (<paramref name="unchanged"/>); the refresh and the views translated
    /// whole find the others again.
    /// </summary>
    public static void CarryIssues(ConcurrentDictionary<string, string> previous, ConcurrentDictionary<string, string> next, Func<string, bool> unchanged)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(next);
        ArgumentNullException.ThrowIfNull(unchanged);
        foreach (var (key, message) in previous)
        {
            if (MissingClusters.VirtualHostOf(key) is { } vhost && !unchanged(vhost)) continue;
            next.TryAdd(key, message);
        }
    }

    /// <summary>
    /// A shallow copy of a message: every field shares the original's values (treated as immutable) except the
    /// repeated field <paramref name="replaced"/>, which holds <paramref name="items"/>. No deep clone of the rest.
    /// </summary>
    private static T CopyExcept<T>(T message, int replaced, IEnumerable items)
        where T : IMessage<T>, new()
    {
        var copy = new T();
        foreach (var field in message.Descriptor.Fields.InFieldNumberOrder())
        {
            var accessor = field.Accessor;
            if (field.FieldNumber == replaced)
            {
                var list = (IList)accessor.GetValue(copy);
                foreach (var item in items) list.Add(item);
            }
            else if (field.IsMap)
            {
                var map = (IDictionary)accessor.GetValue(copy);
                foreach (DictionaryEntry entry in (IDictionary)accessor.GetValue(message)) map.Add(entry.Key, entry.Value);
            }
            else if (field.IsRepeated)
            {
                var list = (IList)accessor.GetValue(copy);
                foreach (var item in (IList)accessor.GetValue(message)) list.Add(item);
            }
            else if (!field.HasPresence || accessor.HasValue(message))
            {
                accessor.SetValue(copy, accessor.GetValue(message));
            }
        }
        return copy;
    }
}
