using System.Globalization;

namespace Rigging.ControlPlane.Bench;

/// <summary>The bench's size and the control plane's timing settings.</summary>
internal sealed record BenchOptions
{
    public int Services { get; init; } = 1000;

    public int Proxies { get; init; } = 1000;

    /// <summary>Distinct workloads the proxies are replicas of (proxy p fronts svc-(p % Workloads)).</summary>
    public int Workloads { get; init; } = 100;

    public int Namespaces { get; init; } = 20;

    public int Edits { get; init; } = 20;

    /// <summary>"sidecar": a Sidecar per namespace narrows egress to it and ns-0; "mesh": every proxy sees every service.</summary>
    public string Scope { get; init; } = "sidecar";

    public int ConfigDebounceMs { get; init; } = 50;

    public int PushQuietMs { get; init; } = 100;

    /// <summary>The control plane pushes the first change after a quiet period at once (its default).</summary>
    public bool PushLeadingEdge { get; init; } = true;

    public string Out { get; init; } = "control-plane.json";

    /// <summary>"file": each edit rewrites the VirtualService's file; "api": it is posted as `rig apply` does.</summary>
    public string EditVia { get; init; } = "file";

    public static BenchOptions? Parse(string[] args)
    {
        var options = new BenchOptions();
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var value = args[i + 1];
            options = args[i] switch
            {
                "--services" => options with { Services = Int(value) },
                "--proxies" => options with { Proxies = Int(value) },
                "--workloads" => options with { Workloads = Int(value) },
                "--namespaces" => options with { Namespaces = Int(value) },
                "--edits" => options with { Edits = Int(value) },
                "--scope" when value is "sidecar" or "mesh" => options with { Scope = value },
                "--config-debounce-ms" => options with { ConfigDebounceMs = Int(value) },
                "--push-quiet-ms" => options with { PushQuietMs = Int(value) },
                "--push-leading-edge" when value is "true" or "false" => options with { PushLeadingEdge = value == "true" },
                "--out" => options with { Out = value },
                "--edit-via" when value is "file" or "api" => options with { EditVia = value },
                _ => null,
            };
            if (options is null) return null;
        }
        if (args.Length % 2 != 0) return null;
        return options.Services < options.Namespaces || options.Workloads > options.Services || options.Proxies < 1 ? null : options;
    }

    private static int Int(string text) => int.Parse(text, CultureInfo.InvariantCulture);
}
