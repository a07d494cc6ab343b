namespace Rigging.Proxy.Routing;

/// <summary>
/// A 64-bit hash of a key for consistent hashing (System.IO.Hashing is not available here): FNV-1a over the
/// UTF-16 code units, finished with a 64-bit avalanche mix so nearby keys spread over the ring.
/// </summary>
public static class KeyHash
{
    public static ulong Of(string value)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in value)
        {
            hash ^= c;
            hash *= 1099511628211UL;
        }
        hash ^= hash >> 33;
        hash *= 0xff51afd7ed558ccdUL;
        hash ^= hash >> 33;
        hash *= 0xc4ceb9fe1a85ec53UL;
        hash ^= hash >> 33;
        return hash;
    }
}
