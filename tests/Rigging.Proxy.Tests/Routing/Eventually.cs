using System.Diagnostics;

namespace Rigging.Proxy.Tests.Routing;

/// <summary>Waits (bounded) for a condition that the proxy makes true just after the response, such as a stat.</summary>
internal static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, int timeoutMs = 5000)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.ElapsedMilliseconds > timeoutMs) throw new TimeoutException("the condition did not become true in time");
            await Task.Delay(10);
        }
    }
}
