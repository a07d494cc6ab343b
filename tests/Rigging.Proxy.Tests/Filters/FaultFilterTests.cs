using System.Diagnostics;
using System.Net;
using Envoy.Config.Route.V3;
using FluentAssertions;
using Google.Protobuf.WellKnownTypes;
using Rigging.Proxy.Tests.Infrastructure;
using Rigging.Proxy.Tests.Routing;

namespace Rigging.Proxy.Tests.Filters;

/// <summary>envoy.filters.http.fault through a real proxy: aborts, delays, header control, percentages, per-route overrides.</summary>
public sealed class FaultFilterTests
{
    private static readonly HttpClient Client = new(new SocketsHttpHandler { UseProxy = false });

    private static async Task<(ProxyFixture Mesh, int Port)> StartAsync(Envoy.Extensions.Filters.Http.Fault.V3.HTTPFault? listenerFault, Random? random, params Route[] routes)
    {
        var mesh = await ProxyFixture.StartAsync(random);
        var port = FreePort.Get();
        await mesh.ApplyAsync(EnvoyConfig.FilteredListener(port, EnvoyConfig.FaultFilter(listenerFault)), EnvoyConfig.Routes("r", routes));
        return (mesh, port);
    }

    private static Route Ok(string prefix) => EnvoyConfig.Answer(new RouteMatch { Prefix = prefix }, "ok");

    [Fact]
    public async Task Abort_answers_with_the_status_and_envoys_body_and_sets_FI()
    {
        var (mesh, port) = await StartAsync(EnvoyConfig.Abort(503, 100), null, Ok("/"));
        await using var _ = mesh;

        var response = await Client.GetAsync($"http://127.0.0.1:{port}/");

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        (await response.Content.ReadAsStringAsync()).Should().Be("fault filter abort");
        await Eventually.TrueAsync(() => mesh.Proxy.Stats.Get("ingress", "response_flags_FI") == 1);
    }

    [Fact]
    public async Task Abort_of_half_the_requests_aborts_about_half_of_1000()
    {
        var (mesh, port) = await StartAsync(EnvoyConfig.Abort(500, 50), new Random(1234), Ok("/"));
        await using var _ = mesh;

        var aborted = 0;
        for (var i = 0; i < 1000; i++)
        {
            using var response = await Client.GetAsync($"http://127.0.0.1:{port}/");
            if (response.StatusCode == HttpStatusCode.InternalServerError) aborted++;
            else response.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        aborted.Should().BeInRange(450, 550);
    }

    [Fact]
    public async Task Header_controlled_fault_aborts_or_delays_only_when_the_request_asks()
    {
        var (mesh, port) = await StartAsync(EnvoyConfig.HeaderControlled(), null, Ok("/"));
        await using var _ = mesh;

        async Task<HttpResponseMessage> Send(params (string Name, string Value)[] headers)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/");
            foreach (var (name, value) in headers) request.Headers.Add(name, value);
            return await Client.SendAsync(request);
        }

        (await Send()).StatusCode.Should().Be(HttpStatusCode.OK);
        (await Send(("x-envoy-fault-abort-request", "429"))).StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        (await Send(("x-envoy-fault-abort-request", "429"), ("x-envoy-fault-abort-request-percentage", "0"))).StatusCode.Should().Be(HttpStatusCode.OK);
        (await Send(("x-envoy-fault-abort-request", "999"))).StatusCode.Should().Be(HttpStatusCode.OK, "a status outside 200-599 is ignored");

        var clock = Stopwatch.StartNew();
        (await Send(("x-envoy-fault-delay-request", "300"))).StatusCode.Should().Be(HttpStatusCode.OK);
        clock.ElapsedMilliseconds.Should().BeGreaterThanOrEqualTo(290);
        await Eventually.TrueAsync(() => mesh.Proxy.Stats.Get("ingress", "response_flags_DI") == 1);
        mesh.Proxy.Stats.Get("ingress", "response_flags_FI").Should().Be(1);
    }

    [Fact]
    public async Task Route_typed_per_filter_config_overrides_the_filter_config_for_that_route_only()
    {
        var faulty = Ok("/faulty");
        faulty.TypedPerFilterConfig[EnvoyConfig.FaultFilterName] = Any.Pack(EnvoyConfig.Abort(418, 100));
        // Istio's shape: an empty HTTPFault on the listener, the fault itself on the route.
        var (mesh, port) = await StartAsync(null, null, faulty, Ok("/"));
        await using var _ = mesh;

        (await Client.GetAsync($"http://127.0.0.1:{port}/faulty")).StatusCode.Should().Be((HttpStatusCode)418);
        (await Client.GetAsync($"http://127.0.0.1:{port}/other")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Fixed_delay_sets_DI_and_the_request_then_reaches_the_upstream()
    {
        await using var backend = await TestBackend.StartAsync("app");
        await using var mesh = await ProxyFixture.StartAsync();
        var port = FreePort.Get();
        await mesh.ApplyAsync(
            EnvoyConfig.EdsCluster("app"), EnvoyConfig.Endpoints("app", backend.Port),
            EnvoyConfig.FilteredListener(port, EnvoyConfig.FaultFilter(EnvoyConfig.FixedDelay(TimeSpan.FromMilliseconds(200), 100))),
            EnvoyConfig.Routes("r", EnvoyConfig.Prefix("/", "app")));

        var clock = Stopwatch.StartNew();
        (await Client.GetStringAsync($"http://127.0.0.1:{port}/x")).Should().Be("app /x");
        clock.ElapsedMilliseconds.Should().BeGreaterThanOrEqualTo(190);
        await Eventually.TrueAsync(() => mesh.Proxy.Stats.Get("ingress", "response_flags_DI") == 1);
    }

    [Fact]
    public async Task Max_active_faults_lets_requests_beyond_the_limit_through_unfaulted()
    {
        var fault = EnvoyConfig.FixedDelay(TimeSpan.FromMilliseconds(800), 100);
        fault.MaxActiveFaults = 1;
        var (mesh, port) = await StartAsync(fault, null, Ok("/"));
        await using var _ = mesh;

        var delayed = Client.GetAsync($"http://127.0.0.1:{port}/");
        await Eventually.TrueAsync(() => mesh.Proxy.Stats.ActiveRequests == 1);
        var clock = Stopwatch.StartNew();
        (await Client.GetAsync($"http://127.0.0.1:{port}/")).StatusCode.Should().Be(HttpStatusCode.OK);
        clock.ElapsedMilliseconds.Should().BeLessThan(600, "the second request is over the limit of one active fault");
        (await delayed).StatusCode.Should().Be(HttpStatusCode.OK);
        await Eventually.TrueAsync(() => mesh.Proxy.Stats.Get("ingress", "response_flags_DI") == 1);
    }

    [Fact]
    public async Task Grpc_request_is_aborted_with_a_trailers_only_grpc_status()
    {
        var fault = new Envoy.Extensions.Filters.Http.Fault.V3.HTTPFault
        {
            Abort = new Envoy.Extensions.Filters.Http.Fault.V3.FaultAbort { GrpcStatus = 14, Percentage = EnvoyConfig.Percent(100) },
        };
        var (mesh, port) = await StartAsync(fault, null, Ok("/"));
        await using var _ = mesh;

        using var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{port}/pkg.Service/Method")
        {
            Content = new ByteArrayContent([0, 0, 0, 0, 0]),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/grpc");
        using var response = await Client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Headers.GetValues("grpc-status").Single().Should().Be("14");
        response.Headers.GetValues("grpc-message").Single().Should().Be("fault filter abort");
    }

    [Fact]
    public async Task Fault_with_an_invalid_status_is_nacked_naming_the_field()
    {
        await using var mesh = await ProxyFixture.StartAsync();
        var port = FreePort.Get();
        mesh.Cache.SetSnapshot(ProxyFixture.NodeId, Rigging.Xds.Cache.Snapshot.Create(
            EnvoyConfig.FilteredListener(port, EnvoyConfig.FaultFilter(EnvoyConfig.Abort(100, 100))), EnvoyConfig.Routes("r", Ok("/"))));

        string? nack = null;
        for (var i = 0; i < 400 && nack is null; i++)
        {
            nack = mesh.Cache.GetStatus(ProxyFixture.NodeId)?.Types.Values.Select(t => t.NackError).FirstOrDefault(e => e is not null);
            await Task.Delay(25);
        }
        nack.Should().Contain("http_filters envoy.filters.http.fault: typed_config: abort: http_status 100 must be 200-599");
    }
}
