namespace Rigging.Xds.Client;

/// <summary>
/// Exponential backoff with jitter: attempt n waits a random time in [d/2, d] where d = min(max, initial·2ⁿ),
/// so a fleet that lost its control plane does not reconnect in lockstep.
/// </summary>
internal sealed class AdsBackoff(TimeSpan initial, TimeSpan max, Random random)
{
    public TimeSpan Next(int attempt)
    {
        double ceiling = Math.Min(max.TotalMilliseconds, initial.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 30)));
        double jittered = (ceiling / 2) + (random.NextDouble() * ceiling / 2);
        return TimeSpan.FromMilliseconds(jittered);
    }
}
