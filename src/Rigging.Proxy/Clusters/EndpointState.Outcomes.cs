using Rigging.Proxy.Clusters.Outlier;
using Rigging.Proxy.Http.Forwarding;

namespace Rigging.Proxy.Clusters;

public sealed partial class EndpointState
{
    private volatile OutlierDetector? _detector;

    /// <summary>The cluster's detector while it has outlier_detection; null means outcomes are not tracked.</summary>
    internal OutlierDetector? Detector
    {
        get => _detector;
        set => _detector = value;
    }

    /// <summary>An answer from this endpoint (fed to outlier detection).</summary>
    public void ReportStatus(int status) => _detector?.OnStatus(this, status);

    /// <summary>A failure before any answer: connect failure, reset, timeout (fed to outlier detection).</summary>
    internal void ReportFailure(UpstreamFailure failure) => _detector?.OnLocalFailure(this);
}
