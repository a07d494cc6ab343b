using Rigging.Proxy.Http.Forwarding;

namespace Rigging.Proxy.Clusters;

public sealed partial class EndpointState
{
    /// <summary>An answer from this endpoint (fed to outlier detection).</summary>
    public void ReportStatus(int status)
    {
    }

    /// <summary>A failure before any answer: connect failure, reset, timeout (fed to outlier detection).</summary>
    internal void ReportFailure(UpstreamFailure failure)
    {
    }
}
