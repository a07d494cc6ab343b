using System.Net;
using System.Text;
using System.Text.Json;
using FluentAssertions;
using Rigging.ControlPlane.Config;
using Rigging.ControlPlane.Tests.Host;

namespace Rigging.ControlPlane.Tests.Config;

/// <summary>POST and DELETE /apis/v1/resources over a real socket: validate first, persist one file per resource.</summary>
public sealed class ResourcesApiTests
{
    private const string Rule = """
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata:
          name: reviews
          namespace: shop
        spec:
          host: reviews
          subsets:
          - name: v1
            labels: {version: v1}
        """;

    [Fact]
    public async Task Post_persists_each_resource_to_its_own_file_and_delete_removes_it()
    {
        await using var mesh = await TestMesh.StartAsync();
        var body = Rule + "\n---\n" + TestMesh.ReviewsService;

        using var post = await mesh.Http.PostAsync("/apis/v1/resources?source=bookinfo.yaml", new StringContent(body, Encoding.UTF8, "application/yaml"));

        post.StatusCode.Should().Be(HttpStatusCode.OK);
        (await post.Content.ReadAsStringAsync()).Should().Contain("DestinationRule shop/reviews created").And.Contain("Service default/reviews created");
        File.Exists(Path.Combine(mesh.Directory, "destinationrule-shop-reviews.yaml")).Should().BeTrue();
        File.Exists(Path.Combine(mesh.Directory, "service-default-reviews.yaml")).Should().BeTrue();
        mesh.Host.Store.Snapshot.Find(new ResourceKey("DestinationRule", "shop", "reviews")).Should().NotBeNull();

        using var again = await mesh.Http.PostAsync("/apis/v1/resources", new StringContent(Rule));
        (await again.Content.ReadAsStringAsync()).Should().Contain("DestinationRule shop/reviews configured");

        using var delete = await mesh.Http.DeleteAsync("/apis/v1/resources/DestinationRule/shop/reviews");
        delete.StatusCode.Should().Be(HttpStatusCode.OK);
        File.Exists(Path.Combine(mesh.Directory, "destinationrule-shop-reviews.yaml")).Should().BeFalse();
        mesh.Host.Store.Snapshot.Find(new ResourceKey("DestinationRule", "shop", "reviews")).Should().BeNull();
        (await mesh.Http.DeleteAsync("/apis/v1/resources/DestinationRule/shop/reviews")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Post_with_an_error_answers_400_with_file_line_and_field_and_writes_nothing()
    {
        await using var mesh = await TestMesh.StartAsync();
        var bad = Rule.Replace("name: v1", "name: \"\"", StringComparison.Ordinal);

        using var post = await mesh.Http.PostAsync("/apis/v1/resources?source=dr.yaml", new StringContent(TestMesh.ReviewsService + "\n---\n" + bad));

        post.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var json = JsonDocument.Parse(await post.Content.ReadAsStringAsync()).RootElement;
        var message = json.GetProperty("messages").EnumerateArray().First(m => m.GetProperty("severity").GetString() == "error");
        message.GetProperty("file").GetString().Should().Be("dr.yaml");
        message.GetProperty("line").GetInt32().Should().BeGreaterThan(12, "lines count from the start of the body");
        message.GetProperty("field").GetString().Should().StartWith("spec.subsets[0].name");
        Directory.EnumerateFiles(mesh.Directory).Should().BeEmpty("nothing is written when any document has an error");
    }
}
