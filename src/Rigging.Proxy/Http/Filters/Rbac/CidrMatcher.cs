using System.Net;
using System.Net.Sockets;

namespace Rigging.Proxy.Http.Filters.Rbac;

/// <summary>
/// A compiled CidrRange: the prefix's bytes and length. An IPv4-mapped IPv6 address is compared as IPv4 (a
/// dual-mode socket reports IPv4 peers that way); an address of the other family never matches.
/// </summary>
public sealed class CidrMatcher
{
    private readonly byte[] _prefix;
    private readonly int _bits;

    private CidrMatcher(byte[] prefix, int bits)
    {
        _prefix = prefix;
        _bits = bits;
    }

    /// <summary>Envoy's rule: a missing prefix_len is 0 (every address of the family).</summary>
    public static CidrMatcher Compile(string address, uint? prefixLength, string where)
    {
        if (!IPAddress.TryParse(address, out var ip))
            throw new Config.ConfigException($"{where}.address_prefix: \"{address}\" is not an IP address");
        if (ip.IsIPv4MappedToIPv6) ip = ip.MapToIPv4();
        var bytes = ip.GetAddressBytes();
        var bits = (int)(prefixLength ?? 0);
        if (prefixLength > (uint)(bytes.Length * 8))
            throw new Config.ConfigException($"{where}.prefix_len: {prefixLength} is longer than the address ({bytes.Length * 8} bits)");
        return new CidrMatcher(bytes, bits);
    }

    public bool Matches(IPAddress? address)
    {
        if (address is null) return false;
        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out var written)) return false;
        var value = bytes[..written];
        if (written == 16 && _prefix.Length == 4 && address.AddressFamily == AddressFamily.InterNetworkV6 && address.IsIPv4MappedToIPv6)
            value = value[12..];
        if (value.Length != _prefix.Length) return false;
        var whole = _bits / 8;
        if (!value[..whole].SequenceEqual(_prefix.AsSpan(0, whole))) return false;
        var rest = _bits % 8;
        if (rest == 0) return true;
        var mask = (byte)(0xFF << (8 - rest));
        return (value[whole] & mask) == (_prefix[whole] & mask);
    }

    public override string ToString() => $"{new IPAddress(_prefix)}/{_bits}";
}
