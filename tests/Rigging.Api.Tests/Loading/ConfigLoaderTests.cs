using FluentAssertions;
using Rigging.Api.Diagnostics;
using Rigging.Api.Loading;
using Rigging.Api.Validation;

namespace Rigging.Api.Tests.Loading;

public sealed class ConfigLoaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rigging-loader-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private const string VirtualService = """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata:
          name: reviews
          namespace: shop
        spec:
          hosts: [reviews]
          http:
          - route:
            - destination:
                host: reviews
        """;

    [Fact]
    public void Syntax_error_names_line_and_column_and_other_documents_are_still_read()
    {
        var text = VirtualService + "\n---\nkind: [unclosed\n  nope: 1\n---\n" + VirtualService.Replace("reviews", "ratings", StringComparison.Ordinal);

        var result = ConfigLoader.LoadText("mixed.yaml", text);

        result.Resources.Select(r => r.DisplayName).Should().Equal("VirtualService shop/reviews", "VirtualService shop/ratings");
        var error = result.Diagnostics.Should().ContainSingle(d => d.Severity == Severity.Error).Subject;
        error.Message.Should().StartWith("YAML syntax error");
        error.Line.Should().BeInRange(14, 15);
        error.Column.Should().BePositive();
    }

    [Fact]
    public void Resources_remember_file_and_line_of_each_field()
    {
        var result = ConfigLoader.LoadText("vs.yaml", "# comment\n" + VirtualService);

        var resource = result.Resources.Single();
        resource.Source.Should().Be(new Rigging.Api.Model.SourceSpan("vs.yaml", 2, 1));
        resource.Locate("spec.http[0].route[0].destination.host").Line.Should().Be(12);
        resource.Locate("spec.http[0].route[0].destination.nothing").Line.Should().Be(11);
    }

    [Fact]
    public void Wrong_type_is_an_error_naming_the_field_and_both_types()
    {
        var result = ConfigValidator.ValidateText("vs.yaml", VirtualService.Replace("hosts: [reviews]", "hosts: reviews", StringComparison.Ordinal));

        result.Diagnostics.Should().Contain(d => d.Severity == Severity.Error && d.Field == "spec.hosts"
            && d.Message == "spec.hosts in body must be of type array: \"string\"" && d.Line == 7);
    }

    [Fact]
    public void Unknown_field_is_a_warning_that_suggests_the_near_name()
    {
        var result = ConfigValidator.ValidateText("vs.yaml", VirtualService.Replace("- route:", "- routes:", StringComparison.Ordinal));

        var warning = result.Diagnostics.Should().ContainSingle(d => d.Severity == Severity.Warning).Subject;
        warning.Field.Should().Be("spec.http[0].routes");
        warning.Message.Should().Contain("unknown field \"routes\"").And.Contain("did you mean \"route\"?");
        warning.Resource.Should().Be("VirtualService shop/reviews");
    }

    [Fact]
    public void Empty_file_is_a_warning_not_a_crash()
    {
        var path = Write("empty.yaml", "");

        var result = ConfigLoader.Load([path]);

        result.Diagnostics.Should().ContainSingle().Which.Message.Should().Be("the file is empty");
    }

    [Fact]
    public void Binary_garbage_is_refused_with_a_clear_message()
    {
        var path = Path.Combine(_dir, "garbage.yaml");
        var random = new Random(42);
        var bytes = new byte[4096];
        random.NextBytes(bytes);
        File.WriteAllBytes(path, bytes);

        var result = ConfigLoader.Load([path]);

        result.Resources.Should().BeEmpty();
        result.Diagnostics.Should().ContainSingle(d => d.Severity == Severity.Error)
            .Which.Message.Should().MatchRegex("not a text file|not UTF-8 text");
    }

    [Fact]
    public void Invalid_utf8_is_refused_with_its_offset()
    {
        var path = Path.Combine(_dir, "latin1.yaml");
        File.WriteAllBytes(path, [.. "kind: caf"u8, 0xE9, (byte)'\n']);

        var result = ConfigLoader.Load([path]);

        result.Diagnostics.Single().Message.Should().Be("not UTF-8 text (invalid bytes at offset 9); YAML and JSON files must be UTF-8");
    }

    [Fact]
    public void Huge_file_is_refused_before_it_is_read()
    {
        var path = Path.Combine(_dir, "huge.yaml");
        using (var stream = File.Create(path)) stream.SetLength(ConfigLoader.MaxFileBytes + 1);

        var result = ConfigLoader.Load([path]);

        result.Diagnostics.Single().Message.Should().StartWith("the file is 64 MiB; configuration files are read up to 64 MiB");
    }

    [Fact]
    public void Deep_nesting_is_refused_without_exhausting_the_stack()
    {
        var text = "apiVersion: v1\nkind: Service\nmetadata: {name: deep}\nspec: " + new string('[', 100_000) + new string(']', 100_000);

        var result = ConfigLoader.LoadText("deep.yaml", text);

        result.Diagnostics.Should().ContainSingle(d => d.Severity == Severity.Error).Which.Message.Should().Contain("nesting is deeper than");
    }

    [Fact]
    public void Alias_bomb_is_bounded()
    {
        var lines = new List<string> { "apiVersion: networking.istio.io/v1alpha3", "kind: EnvoyFilter", "metadata: {name: bomb}", "a0: &a0 [x, x, x, x, x, x, x, x, x, x]" };
        for (var i = 1; i < 10; i++) lines.Add($"a{i}: &a{i} [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 10))}]");
        lines.Add("spec: {configPatches: [{patch: {value: *a9}}]}");

        var result = ConfigLoader.LoadText("bomb.yaml", string.Join('\n', lines));

        result.Diagnostics.Should().Contain(d => d.Severity == Severity.Error && d.Message.Contains("expands to more than"));
    }

    [Fact]
    public void Json_files_are_read_like_yaml()
    {
        var path = Write("vs.json", """
            {"apiVersion": "networking.istio.io/v1", "kind": "VirtualService",
             "metadata": {"name": "reviews"},
             "spec": {"hosts": ["reviews"], "http": [{"route": [{"destination": {"host": "reviews"}, "weight": 100}]}]}}
            """);

        var result = ConfigValidator.ValidatePaths([path]);

        result.Diagnostics.Should().BeEmpty();
        result.Resources.Single().DisplayName.Should().Be("VirtualService default/reviews");
    }

    [Fact]
    public void Directories_are_read_recursively_and_missing_paths_are_errors()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "nested"));
        Write("nested/a.yaml", VirtualService);
        Write("notes.txt", "not config");

        var result = ConfigLoader.Load([_dir, Path.Combine(_dir, "missing.yaml")]);

        result.Resources.Should().ContainSingle();
        result.Diagnostics.Should().ContainSingle().Which.Message.Should().Be("no such file or directory");
    }

    [Fact]
    public void Other_kinds_are_skipped_with_a_note_and_a_v1_list_is_unpacked()
    {
        var text = """
            apiVersion: v1
            kind: List
            items:
            - apiVersion: v1
              kind: ConfigMap
              metadata: {name: settings}
            - apiVersion: v1
              kind: Service
              metadata: {name: reviews}
              spec: {selector: {app: reviews}, ports: [{name: http, port: 9080}]}
            """;

        var result = ConfigLoader.LoadText("list.yaml", text);

        result.Resources.Single().DisplayName.Should().Be("Service default/reviews");
        result.Diagnostics.Single().Should().Match<Diagnostic>(d => d.Severity == Severity.Info && d.Message.Contains("ConfigMap"));
    }

    [Fact]
    public void Wrong_version_of_a_known_kind_says_which_versions_exist()
    {
        var result = ConfigLoader.LoadText("vs.yaml", VirtualService.Replace("networking.istio.io/v1", "networking.istio.io/v9", StringComparison.Ordinal));

        result.Diagnostics.Single().Message.Should().Contain("Unsupported value: \"networking.istio.io/v9\"").And.Contain("v1beta1");
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }
}
