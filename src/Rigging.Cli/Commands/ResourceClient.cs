using System.CommandLine;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Rigging.Api.Diagnostics;

namespace Rigging.Cli.Commands;

/// <summary>The client side of the control plane's resources API, for <c>rig apply</c> and <c>rig delete</c>.</summary>
internal sealed class ResourceClient(string server) : IDisposable
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    private readonly HttpClient _http = new() { BaseAddress = new Uri(server.TrimEnd('/') + "/"), Timeout = TimeSpan.FromSeconds(30) };

    public static Option<string> ServerOption() => new("--server", "-s")
    {
        Description = "The control plane's HTTP address",
        DefaultValueFactory = _ => "http://127.0.0.1:15014",
    };

    public Task<Outcome> ApplyAsync(string source, string text, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Post, "apis/v1/resources?source=" + Uri.EscapeDataString(source))
        {
            Content = new StringContent(text, new UTF8Encoding(false), "application/yaml"),
        }, cancellationToken);

    public Task<Outcome> DeleteAsync(string kind, string ns, string name, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"apis/v1/resources/{Uri.EscapeDataString(kind)}/{Uri.EscapeDataString(ns)}/{Uri.EscapeDataString(name)}"), cancellationToken);

    private async Task<Outcome> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        {
            try
            {
                using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
                var body = await response.Content.ReadFromJsonAsync<Outcome>(Json, cancellationToken).ConfigureAwait(false);
                return body ?? new Outcome((int)response.StatusCode, [], [], "empty answer");
            }
            catch (HttpRequestException e)
            {
                return new Outcome(0, [], [], $"cannot reach the control plane at {_http.BaseAddress}: {e.Message}");
            }
            catch (JsonException)
            {
                return new Outcome(0, [], [], $"the server at {_http.BaseAddress} did not answer as a Rigging control plane");
            }
        }
    }

    /// <summary>Prints results to <paramref name="output"/>, messages (file:line:col: level: resource: field: message) to <paramref name="errors"/>; true when it succeeded.</summary>
    public static bool Print(Outcome outcome, TextWriter output, TextWriter errors)
    {
        foreach (var line in outcome.Results ?? []) output.WriteLine(line);
        foreach (var diagnostic in outcome.Messages ?? []) errors.WriteLine(diagnostic);
        if (outcome.Error is { } error) errors.WriteLine($"error: {error}");
        return outcome.Status is >= 200 and < 300;
    }

    public void Dispose() => _http.Dispose();

    /// <summary>The API's answer.</summary>
    internal sealed record Outcome(int Status, IReadOnlyList<string>? Results, IReadOnlyList<Diagnostic>? Messages, string? Error);
}
