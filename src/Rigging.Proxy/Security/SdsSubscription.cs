using Rigging.Xds.Cache;
using Rigging.Xds.Client;

namespace Rigging.Proxy.Security;

/// <summary>
/// Keeps the proxy's SDS subscription over ADS equal to the secret names its config refers to, minus those the
/// local certificate agent provides (<c>default</c>, <c>ROOTCA</c> when it runs): Envoy's SDS-over-ADS with
/// Istio's agent in front.
/// </summary>
public sealed class SdsSubscription
{
    private readonly SecretStore _secrets;
    private readonly AdsClient _ads;
    private readonly Lock _gate = new();
    private IReadOnlyList<string> _wanted = [];
    private IReadOnlyList<string> _subscribed = [];

    public SdsSubscription(SecretStore secrets, AdsClient ads)
    {
        _secrets = secrets;
        _ads = ads;
        secrets.Changed += _ => Refresh();
    }

    /// <summary>The names the accepted config refers to (from ConfigApplier).</summary>
    public void Update(IReadOnlyList<string> names)
    {
        lock (_gate) _wanted = names;
        Refresh();
    }

    private void Refresh()
    {
        List<string> names;
        lock (_gate)
        {
            names = [];
            foreach (var name in _wanted)
            {
                if (!_secrets.IsLocal(name)) names.Add(name);
            }
            // An empty list would be a wildcard subscription; names no longer needed simply stay until others replace them.
            if (names.Count == 0 || names.SequenceEqual(_subscribed, StringComparer.Ordinal)) return;
            _subscribed = names;
        }
        _ = _ads.SubscribeAsync(TypeUrls.Secret, names);
    }
}
