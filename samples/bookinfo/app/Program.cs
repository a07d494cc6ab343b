using System.Net;
using Rigging.Samples.Bookinfo;

// One of bookinfo's services, by role: productpage calls details and reviews; reviews v2 and v3 call ratings.
var (options, error) = RoleOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine($"bookinfo: {error}");
    return 2;
}

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.AddServerHeader = false;
    kestrel.Listen(IPAddress.Loopback, options.Port);
});
builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, BookinfoJson.Default));

using var downstream = new Downstream(Downstream.ProxyFromEnvironment());
var app = builder.Build();
app.MapGet("/healthz", () => Results.Text("ok"));
app.MapGet("/{**path}", async (HttpContext context) =>
{
    var calls = await Roles.CallDownstreamAsync(options, downstream, context.Request, context.RequestAborted);
    return Results.Json(new Reply(options.Role, options.Version, calls), BookinfoJson.Default.Reply);
});

Console.Out.WriteLine($"bookinfo {options.Role} {options.Version} listening on 127.0.0.1:{options.Port}" +
    $" (downstream via {Downstream.ProxyFromEnvironment() ?? "no proxy"})");
await app.RunAsync();
return 0;
