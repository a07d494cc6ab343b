using Rigging.Proxy.Clusters.OriginalDestination;

namespace Rigging.Proxy.Clusters;

public sealed partial class ClusterState
{
    /// <summary>Set for an ORIGINAL_DST cluster: its hosts come from each request's destination, not from <see cref="Pick"/>.</summary>
    public OriginalDestinationHosts? OriginalDestinations { get; private set; }

    /// <summary>Keeps the known destinations across updates that stay ORIGINAL_DST; drops them when the type changes.</summary>
    private void ApplyOriginalDestination(ClusterModel model)
    {
        if (model.OriginalDestination is not { } config)
        {
            OriginalDestinations?.Dispose();
            OriginalDestinations = null;
            return;
        }
        if (OriginalDestinations is { } hosts) hosts.Configure(config);
        else OriginalDestinations = new OriginalDestinationHosts(config, _time);
    }
}
