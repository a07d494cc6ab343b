using System.Diagnostics;
using Envoy.Config.Core.V3;
using Google.Protobuf;
using Rigging.Xds.Cache;
using Rigging.Xds.Client;
using Rigging.Xds.Grpc.Server;
using Rigging.Xds.Server;

namespace Rigging.Xds.Bench;

/// <summary>
/// N simulated ADS clients (our AdsClient, one connection each) in this process subscribe to a snapshot;
/// then, per round, one endpoint changes and the snapshot is set for every node. Measures, per client, the
/// time from the start of the set loop until the client applied the new EDS version (its ACK is written next).
/// </summary>
internal static class ConvergenceBenchmark
{
    public static async Task<ConvergenceResult> RunAsync(int clients, int rounds, int clusters)
    {
        var cache = new SnapshotCache();
        var options = new AdsServerOptions { Grpc = new GrpcServerOptions { MaxStreamsPerConnection = 100 } };
        await using var server = await new AdsServer(cache, options).StartAsync();
        var nodes = Enumerable.Range(0, clients).Select(i => $"sidecar-{i}").ToArray();
        var snapshot = BuildSnapshot(clusters, endpointPort: 10000);
        foreach (string node in nodes)
        {
            cache.SetSnapshot(node, snapshot);
        }

        var applied = new long[clients];
        var target = new string?[clients];
        var connected = new CountdownEvent(clients);
        var clusterNames = Enumerable.Range(0, clusters).Select(i => $"svc-{i}").ToList();
        var subscriptions = new Dictionary<string, IReadOnlyList<string>>
        {
            [TypeUrls.Cluster] = [],
            [TypeUrls.ClusterLoadAssignment] = clusterNames,
            [TypeUrls.Listener] = [],
            [TypeUrls.RouteConfiguration] = ["routes"],
        };
        var adsClients = new List<AdsClient>();
        var setupClock = Stopwatch.StartNew();
        for (int i = 0; i < clients; i++)
        {
            int index = i;
            bool counted = false;
            var client = new AdsClient(new AdsClientOptions
            {
                Address = server.Address,
                Node = new Node { Id = nodes[i] },
                Subscriptions = subscriptions,
                Apply = update =>
                {
                    if (update.TypeUrl == TypeUrls.ClusterLoadAssignment)
                    {
                        if (update.Version == Volatile.Read(ref target[index]))
                        {
                            Volatile.Write(ref applied[index], Stopwatch.GetTimestamp());
                        }

                        if (!counted)
                        {
                            counted = true;
                            connected.Signal();
                        }
                    }

                    return ApplyResult.Accept();
                },
            });
            client.Start();
            adsClients.Add(client);
        }

        if (!connected.Wait(TimeSpan.FromSeconds(120)))
        {
            throw new TimeoutException($"Only {clients - connected.CurrentCount} of {clients} clients received their first snapshot.");
        }

        double setupSeconds = setupClock.Elapsed.TotalSeconds;
        await Task.Delay(500);
        var roundResults = new List<RoundResult>();
        for (int round = 1; round <= rounds; round++)
        {
            var next = BuildSnapshot(clusters, endpointPort: 10000 + round);
            string version = ResourceSet.VersionOf(next.Get(TypeUrls.ClusterLoadAssignment).Resources.Values);
            for (int i = 0; i < clients; i++)
            {
                Volatile.Write(ref target[i], version);
                Volatile.Write(ref applied[i], 0);
            }

            long start = Stopwatch.GetTimestamp();
            foreach (string node in nodes)
            {
                cache.SetSnapshot(node, next);
            }

            double setMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            var clock = Stopwatch.StartNew();
            while (applied.Any(a => Volatile.Read(ref a) == 0) && clock.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(5);
            }

            var latencies = applied.Where(a => a != 0).Select(a => Stopwatch.GetElapsedTime(start, a).TotalMilliseconds).Order().ToArray();
            roundResults.Add(new RoundResult(round, latencies.Length, Percentile(latencies, 0.50), Percentile(latencies, 0.99), latencies.LastOrDefault(), setMs));
            await Task.Delay(300);
        }

        long managedBytes = GC.GetTotalMemory(forceFullCollection: true);
        long workingSet = Process.GetCurrentProcess().WorkingSet64;
        foreach (var client in adsClients)
        {
            await client.DisposeAsync();
        }

        return new ConvergenceResult(clients, clusters, setupSeconds, roundResults, managedBytes, workingSet);
    }

    /// <summary>clusters EDS clusters svc-i (3 endpoints each, one of which uses endpointPort), a listener, a route.</summary>
    public static Snapshot BuildSnapshot(int clusters, int endpointPort)
    {
        var resources = new List<IMessage>();
        var vhost = new Envoy.Config.Route.V3.VirtualHost { Name = "all", Domains = { "*" } };
        for (int i = 0; i < clusters; i++)
        {
            string name = $"svc-{i}";
            resources.Add(new Envoy.Config.Cluster.V3.Cluster
            {
                Name = name,
                Type = Envoy.Config.Cluster.V3.Cluster.Types.DiscoveryType.Eds,
                EdsClusterConfig = new() { EdsConfig = new ConfigSource { Ads = new AggregatedConfigSource() }, ServiceName = name },
            });
            var locality = new Envoy.Config.Endpoint.V3.LocalityLbEndpoints { Locality = new Locality { Zone = "a" }, LoadBalancingWeight = 1 };
            for (int e = 0; e < 3; e++)
            {
                uint port = i == 0 && e == 0 ? (uint)endpointPort : (uint)(20000 + (i * 3) + e);
                locality.LbEndpoints.Add(new Envoy.Config.Endpoint.V3.LbEndpoint
                {
                    Endpoint = new() { Address = new Address { SocketAddress = new SocketAddress { Address = "10.0.0.1", PortValue = port } } },
                });
            }

            resources.Add(new Envoy.Config.Endpoint.V3.ClusterLoadAssignment { ClusterName = name, Endpoints = { locality } });
            vhost.Routes.Add(new Envoy.Config.Route.V3.Route
            {
                Name = name,
                Match = new() { Prefix = "/" + name },
                Route_ = new() { Cluster = name },
            });
        }

        resources.Add(new Envoy.Config.Route.V3.RouteConfiguration { Name = "routes", VirtualHosts = { vhost } });
        var hcm = new Envoy.Extensions.Filters.Network.HttpConnectionManager.V3.HttpConnectionManager
        {
            StatPrefix = "http",
            Rds = new() { RouteConfigName = "routes", ConfigSource = new ConfigSource { Ads = new AggregatedConfigSource() } },
        };
        resources.Add(new Envoy.Config.Listener.V3.Listener
        {
            Name = "http",
            ApiListener = new() { ApiListener_ = Google.Protobuf.WellKnownTypes.Any.Pack(hcm) },
        });
        return Snapshot.Create(resources);
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}

internal sealed record RoundResult(int Round, int Converged, double P50Ms, double P99Ms, double MaxMs, double SetLoopMs);

internal sealed record ConvergenceResult(int Clients, int Clusters, double SetupSeconds, IReadOnlyList<RoundResult> Rounds, long ManagedBytes, long WorkingSetBytes);
