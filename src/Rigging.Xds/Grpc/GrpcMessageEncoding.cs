using System.Text;

namespace Rigging.Xds.Grpc;

/// <summary>Percent-encoding of <c>grpc-message</c>: bytes outside 0x20-0x7E and '%' become %XX of the UTF-8.</summary>
internal static class GrpcMessageEncoding
{
    public static string Encode(string message)
    {
        bool plain = true;
        foreach (char c in message)
        {
            if (c < 0x20 || c > 0x7E || c == '%')
            {
                plain = false;
                break;
            }
        }

        if (plain)
        {
            return message;
        }

        var sb = new StringBuilder(message.Length + 16);
        foreach (byte b in Encoding.UTF8.GetBytes(message))
        {
            if (b < 0x20 || b > 0x7E || b == '%')
            {
                sb.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append((char)b);
            }
        }

        return sb.ToString();
    }

    public static string Decode(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        if (!value.Contains('%', StringComparison.Ordinal))
        {
            return value;
        }

        var bytes = new List<byte>(value.Length);
        for (int i = 0; i < value.Length; i++)
        {
            if (value[i] == '%' && i + 2 < value.Length
                && byte.TryParse(value.AsSpan(i + 1, 2), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture, out byte b))
            {
                bytes.Add(b);
                i += 2;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(value[i].ToString()));
            }
        }

        return Encoding.UTF8.GetString(bytes.ToArray());
    }
}
