namespace Rigging.Proxy.Http.Filters;

/// <summary>
/// Draws from the injected Random from many request threads: <see cref="Random.Shared"/> (production) is used as
/// is; a seeded instance (tests) is drawn under a lock on itself, the same lock the load balancers take.
/// </summary>
internal static class SafeRandom
{
    public static int Next(Random random, int max)
    {
        if (ReferenceEquals(random, Random.Shared)) return random.Next(max);
        lock (random) return random.Next(max);
    }

    public static double NextDouble(Random random)
    {
        if (ReferenceEquals(random, Random.Shared)) return random.NextDouble();
        lock (random) return random.NextDouble();
    }
}
