using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Rigging.Api.Validation;

/// <summary>
/// IP addresses and CIDR ranges as Go's netip parses them, which is what istiod uses: IPv4 is exactly four decimal
/// parts without leading zeros (.NET alone would also take "10.1" or "010.0.0.1").
/// </summary>
internal static class IpRules
{
    public const string IpOrCidrHint = "must be an IP address or a CIDR range, such as 10.1.2.3 or 10.1.0.0/16";

    public static bool IsIp(string value)
    {
        if (value.Contains(':')) return IPAddress.TryParse(value, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6;
        var parts = value.Split('.');
        if (parts.Length != 4) return false;
        foreach (var part in parts)
        {
            if (part.Length is 0 or > 3 || (part.Length > 1 && part[0] == '0')) return false;
            foreach (var c in part)
            {
                if (!char.IsAsciiDigit(c)) return false;
            }
            if (int.Parse(part, CultureInfo.InvariantCulture) > 255) return false;
        }
        return true;
    }

    /// <summary>An address, or an address and prefix length (a zone is not allowed in a range).</summary>
    public static bool IsIpOrCidr(string value)
    {
        var slash = value.IndexOf('/');
        if (slash < 0) return IsIp(value);
        var address = value[..slash];
        var bits = value[(slash + 1)..];
        if (!IsIp(address) || address.Contains('%')) return false;
        if (bits.Length is 0 or > 3 || (bits.Length > 1 && bits[0] == '0')) return false;
        if (!int.TryParse(bits, NumberStyles.None, CultureInfo.InvariantCulture, out var length)) return false;
        return length <= (address.Contains(':') ? 128 : 32);
    }
}
