namespace Rigging.Proxy.Clusters.LoadBalancing;

/// <summary>
/// The injected <see cref="Random"/>, safe to share between threads: <see cref="Random.Shared"/> (production) is
/// used as is; a seeded instance (tests) is not thread-safe, so draws from it take a lock.
/// </summary>
public sealed class RandomSource(Random random)
{
    private readonly bool _threadSafe = ReferenceEquals(random, Random.Shared);

    public int Next(int maxValue)
    {
        if (_threadSafe) return random.Next(maxValue);
        lock (random) return random.Next(maxValue);
    }

    public ulong NextUInt64()
    {
        if (_threadSafe) return (ulong)random.NextInt64(long.MinValue, long.MaxValue);
        lock (random) return (ulong)random.NextInt64(long.MinValue, long.MaxValue);
    }
}
