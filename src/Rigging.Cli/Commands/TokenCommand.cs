using System.CommandLine;
using System.Net.Http.Json;
using System.Text.Json;

namespace Rigging.Cli.Commands;

/// <summary>
/// <c>rig token create --namespace NS --service-account SA [--ttl 24h] [--control-plane URL]</c>: asks the control
/// plane (from this machine: the API serves loopback callers only) for a bootstrap token and prints it alone on
/// stdout, so <c>rig token create ... &gt; token</c> makes a file for <c>--token-file</c>.
/// </summary>
internal static class TokenCommand
{
    public static Command Create()
    {
        var ns = new Option<string>("--namespace", "-n") { Description = "Namespace the token grants", Required = true };
        var sa = new Option<string>("--service-account") { Description = "Service account the token grants", Required = true };
        var ttl = new Option<string>("--ttl") { Description = "How long the token may be used to get certificates (e.g. 24h, 30m)", DefaultValueFactory = _ => "24h" };
        var server = new Option<string>("--control-plane") { Description = "The control plane's HTTP address", DefaultValueFactory = _ => "http://127.0.0.1:15014" };
        var create = new Command("create", "Issue a bootstrap token for one namespace/service account") { ns, sa, ttl, server };
        create.SetAction(async (parse, cancellationToken) =>
        {
            var address = parse.GetValue(server)!;
            if (!Uri.TryCreate(address.TrimEnd('/') + "/apis/v1/tokens", UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                await Console.Error.WriteLineAsync($"rig token create: --control-plane {address} is not an http:// URL");
                return 2;
            }

            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };
            var body = new Dictionary<string, string?> { ["namespace"] = parse.GetValue(ns), ["serviceAccount"] = parse.GetValue(sa), ["ttl"] = parse.GetValue(ttl) };
            try
            {
                using var response = await http.PostAsJsonAsync(uri, body, cancellationToken);
                var text = await response.Content.ReadAsStringAsync(cancellationToken);
                if (!response.IsSuccessStatusCode)
                {
                    await Console.Error.WriteLineAsync($"rig token create: {(int)response.StatusCode}: {text.Trim()}");
                    return 1;
                }
                using var json = JsonDocument.Parse(text);
                var root = json.RootElement;
                Console.Out.WriteLine(root.GetProperty("token").GetString());
                await Console.Error.WriteLineAsync($"token {root.GetProperty("id").GetString()} for {root.GetProperty("namespace").GetString()}/{root.GetProperty("serviceAccount").GetString()}, expires {root.GetProperty("expires").GetString()}");
                return 0;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException)
            {
                await Console.Error.WriteLineAsync($"rig token create: cannot get a token from {address}: {e.Message}");
                return 1;
            }
        });
        return new Command("token", "Bootstrap tokens: what a proxy presents to the CA to get its certificate") { create };
    }
}
