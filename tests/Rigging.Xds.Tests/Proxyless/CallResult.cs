namespace Rigging.Xds.Tests.Proxyless;

/// <summary>How a batch of calls went: answers per server, failures per status code.</summary>
public sealed record CallResult(IReadOnlyDictionary<string, int> Servers, IReadOnlyDictionary<int, int> Codes, IReadOnlyList<string> Errors)
{
    public int Total(bool ok) => ok ? Servers.Values.Sum() : Codes.Values.Sum();

    public int To(string server) => Servers.TryGetValue(server, out int n) ? n : 0;

    public int WithCode(int code) => Codes.TryGetValue(code, out int n) ? n : 0;

    public override string ToString() =>
        $"servers [{string.Join(", ", Servers.Select(s => $"{s.Key}={s.Value}"))}] codes [{string.Join(", ", Codes.Select(c => $"{c.Key}={c.Value}"))}] {string.Join(" | ", Errors)}";
}
