using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Rigging.Proxy;

namespace Rigging.Cli.Commands;

/// <summary>
/// The options `rig proxy` and `rig run` share (who the workload is, where the proxy listens) and their
/// translation into <see cref="ProxyOptions"/>; also the console logging both use (concise, on stderr).
/// </summary>
internal sealed class ProxyCommandLine
{
    public Option<string> Xds { get; } = new("--xds") { Description = "The xDS server as HOST:PORT (or an http:// or https:// URL)" };
    public Option<string?> NodeId { get; } = new("--node-id") { Description = "The xDS node id (default: Istio's sidecar~IP~NAME.NS~NS.svc.cluster.local)" };
    public Option<string> Workload { get; } = new("--workload") { Description = "The workload's name", Required = true };
    public Option<string> Namespace { get; } = new("--namespace", "-n") { Description = "The workload's namespace", DefaultValueFactory = _ => "default" };
    public Option<string?> Labels { get; } = new("--labels") { Description = "The workload's labels: k=v,k2=v2" };
    public Option<string> ServiceAccount { get; } = new("--service-account") { Description = "The workload's service account", DefaultValueFactory = _ => "default" };
    public Option<string> Address { get; } = new("--address") { Description = "The IP other proxies reach this workload at", DefaultValueFactory = _ => "127.0.0.1" };
    public Option<int?> InboundPort { get; } = new("--inbound-port") { Description = "Port of the inbound listener (in front of the application)" };
    public Option<int?> AppPort { get; } = new("--app-port") { Description = "Port the application listens on" };
    public Option<int?> OutboundPort { get; } = new("--outbound-port") { Description = "Port of the outbound HTTP proxy listener (what HTTP_PROXY points at)" };
    public Option<int> AdminPort { get; } = new("--admin-port") { Description = "Admin port on 127.0.0.1 (0 picks a free one)", DefaultValueFactory = _ => 15000 };
    public Option<double> DrainSeconds { get; } = new("--drain-duration") { Description = "Seconds to drain on shutdown (Istio's terminationDrainDuration)", DefaultValueFactory = _ => 5.0 };
    public Option<bool> AccessLog { get; } = new("--access-log") { Description = "Log one line per request in Envoy's default format" };
    public Option<string?> TokenFile { get; } = new("--token-file") { Description = "File holding the bootstrap token from `rig token create` (or set RIG_TOKEN); turns the certificate agent on" };
    public Option<string?> CaRootFile { get; } = new("--ca-root-file") { Description = "The mesh root to trust for the CA and https xDS (the control plane's <state>/root-cert.pem)" };
    public Option<string?> CaAddress { get; } = new("--ca-address") { Description = "The CA as https://HOST:PORT (default: --xds when it is https)" };
    public Option<string?> TrustDomain { get; } = new("--trust-domain") { Description = "Trust domain of the workload's SPIFFE id (default cluster.local)" };
    public Option<LogLevel> LogLevel { get; } = new("--log-level") { Description = "Trace, Debug, Information, Warning, Error", DefaultValueFactory = _ => Microsoft.Extensions.Logging.LogLevel.Information };

    public IEnumerable<Option> All =>
        [Xds, NodeId, Workload, Namespace, Labels, ServiceAccount, Address, InboundPort, AppPort, OutboundPort, AdminPort, DrainSeconds, AccessLog, TokenFile, CaRootFile, CaAddress, TrustDomain, LogLevel];

    /// <summary>The proxy options from the command line, or an error naming the option and what would be right.</summary>
    public (ProxyOptions? Options, string? Error) Bind(ParseResult parse, string defaultXds, int? defaultOutboundPort = null)
    {
        var workload = parse.GetValue(Workload)!;
        var ns = parse.GetValue(Namespace) ?? "default";
        if (!IPAddress.TryParse(parse.GetValue(Address), out var address)) return (null, $"--address {parse.GetValue(Address)} is not an IP address");
        var xds = parse.GetValue(Xds) ?? defaultXds;
        if (ParseXds(xds) is not { } xdsUri) return (null, $"--xds {xds} is not HOST:PORT (e.g. 127.0.0.1:15010)");
        if (ParseLabels(parse.GetValue(Labels)) is not { } labels) return (null, $"--labels {parse.GetValue(Labels)} is not k=v,k2=v2");
        foreach (var (name, port) in new[] { ("--inbound-port", parse.GetValue(InboundPort)), ("--app-port", parse.GetValue(AppPort)), ("--outbound-port", parse.GetValue(OutboundPort)) })
        {
            if (port is < 1 or > 65535) return (null, $"{name} {port} must be 1-65535");
        }
        var (security, securityError) = BindSecurity(parse, xdsUri);
        if (securityError is not null) return (null, securityError);
        var drain = parse.GetValue(DrainSeconds);
        if (drain is < 0 or > 3600) return (null, $"--drain-duration {drain} must be 0-3600 seconds");
        return (new ProxyOptions
        {
            Xds = xdsUri,
            NodeId = parse.GetValue(NodeId) ?? ProxyOptions.DefaultNodeId(workload, ns, address),
            Workload = workload,
            Namespace = ns,
            Labels = labels,
            ServiceAccount = parse.GetValue(ServiceAccount) ?? "default",
            Address = address,
            InboundPort = parse.GetValue(InboundPort),
            AppPort = parse.GetValue(AppPort),
            OutboundPort = parse.GetValue(OutboundPort) ?? defaultOutboundPort,
            AdminPort = parse.GetValue(AdminPort),
            DrainDuration = TimeSpan.FromSeconds(drain),
            AccessLog = parse.GetValue(AccessLog),
            CaAddress = security.CaAddress,
            Token = security.Token,
            TokenFile = security.TokenFile,
            RootCertFile = security.RootFile,
            TrustDomain = parse.GetValue(TrustDomain) ?? "cluster.local",
        }, null);
    }

    private (SecurityLine Line, string? Error) BindSecurity(ParseResult parse, Uri xds)
    {
        var tokenFile = parse.GetValue(TokenFile);
        var token = tokenFile is null ? Environment.GetEnvironmentVariable("RIG_TOKEN") : null;
        if (string.IsNullOrWhiteSpace(token)) token = null;
        var root = parse.GetValue(CaRootFile);
        Uri? ca = null;
        if (parse.GetValue(CaAddress) is { } caText)
        {
            if (!Uri.TryCreate(caText, UriKind.Absolute, out ca) || ca.Scheme != Uri.UriSchemeHttps) return (default, $"--ca-address {caText} is not an https:// URL (e.g. https://127.0.0.1:15012)");
        }
        if (tokenFile is not null && !File.Exists(tokenFile)) return (default, $"--token-file {tokenFile} does not exist");
        if (root is not null && !File.Exists(root)) return (default, $"--ca-root-file {root} does not exist");
        var wantsCa = tokenFile is not null || token is not null;
        if (wantsCa && root is null) return (default, "a bootstrap token is given but no --ca-root-file (the control plane's <state>/root-cert.pem)");
        if (wantsCa && ca is null && xds.Scheme != Uri.UriSchemeHttps) return (default, "a bootstrap token is given but no CA: add --ca-address https://HOST:15012 or use an https --xds");
        return (new SecurityLine(ca, token, tokenFile, root), null);
    }

    private readonly record struct SecurityLine(Uri? CaAddress, string? Token, string? TokenFile, string? RootFile);

    public static Uri? ParseXds(string value)
    {
        if (value.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            return Uri.TryCreate(value, UriKind.Absolute, out var uri) ? uri : null;
        var colon = value.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(value.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535) return null;
        return Uri.TryCreate($"http://{value}", UriKind.Absolute, out var parsed) ? parsed : null;
    }

    public static Dictionary<string, string>? ParseLabels(string? value)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(value)) return labels;
        foreach (var pair in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = pair.IndexOf('=');
            if (eq <= 0) return null;
            labels[pair[..eq]] = pair[(eq + 1)..];
        }
        return labels;
    }

    /// <summary>One line per event on stderr (stdout stays the application's under `rig run`).</summary>
    public static ILoggerFactory CreateLoggers(LogLevel level) => LoggerFactory.Create(builder =>
    {
        builder.SetMinimumLevel(level);
        builder.AddFilter("Microsoft", Microsoft.Extensions.Logging.LogLevel.Warning);
        builder.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "HH:mm:ss.fff ";
            console.UseUtcTimestamp = true;
            console.ColorBehavior = LoggerColorBehavior.Disabled;
        });
        builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = Microsoft.Extensions.Logging.LogLevel.Trace);
    });
}
