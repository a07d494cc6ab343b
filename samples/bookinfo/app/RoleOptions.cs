namespace Rigging.Samples.Bookinfo;

/// <summary>The command line: <c>--role productpage|details|reviews|ratings --version v1 --port N</c> (or BOOKINFO_ROLE,
/// BOOKINFO_VERSION, BOOKINFO_PORT).</summary>
public sealed record RoleOptions(string Role, string Version, int Port)
{
    public static readonly string[] Roles = ["productpage", "details", "reviews", "ratings"];

    /// <summary>Reads the options, or returns the message that says what is wrong.</summary>
    public static (RoleOptions? Options, string? Error) Parse(string[] args)
    {
        var role = Environment.GetEnvironmentVariable("BOOKINFO_ROLE");
        var version = Environment.GetEnvironmentVariable("BOOKINFO_VERSION") ?? "v1";
        var port = Environment.GetEnvironmentVariable("BOOKINFO_PORT");
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--role": role = value; i++; break;
                case "--version": version = value ?? version; i++; break;
                case "--port": port = value; i++; break;
                default: return (null, $"unknown argument '{args[i]}'; expected --role, --version, --port");
            }
        }
        if (role is null || Array.IndexOf(Roles, role) < 0)
        {
            return (null, $"--role must be one of {string.Join(", ", Roles)} (got '{role}')");
        }
        if (!int.TryParse(port, out var number) || number is < 1 or > 65535)
        {
            return (null, $"--port must be a TCP port between 1 and 65535 (got '{port}')");
        }
        return (new RoleOptions(role, version, number), null);
    }
}
