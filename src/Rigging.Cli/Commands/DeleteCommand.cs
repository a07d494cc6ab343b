using System.CommandLine;
using Rigging.Api.Loading;


namespace Rigging.Cli.Commands;

/// <summary><c>rig delete -f FILE</c> or <c>rig delete KIND/NAMESPACE/NAME</c>: removes resources from the control plane.</summary>
internal static class DeleteCommand
{
    public static Command Create()
    {
        var files = new Option<string[]>("--filename", "-f") { Description = "Files whose resources to delete", AllowMultipleArgumentsPerToken = true };
        var names = new Argument<string[]>("resource") { Description = "KIND/NAMESPACE/NAME, e.g. VirtualService/default/reviews", Arity = ArgumentArity.ZeroOrMore };
        var server = ResourceClient.ServerOption();
        var command = new Command("delete", "Delete resources from the control plane") { files, names, server };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var targets = new List<(string Kind, string Namespace, string Name)>();
            foreach (var name in parse.GetValue(names) ?? [])
            {
                var parts = name.Split('/');
                if (parts.Length != 3)
                {
                    Console.Error.WriteLine($"rig delete: '{name}': expected KIND/NAMESPACE/NAME, e.g. VirtualService/default/reviews");
                    return 1;
                }
                targets.Add((parts[0], parts[1], parts[2]));
            }
            var fileList = parse.GetValue(files) ?? [];
            if (fileList.Length > 0)
            {
                var loaded = ConfigLoader.Load(fileList);
                foreach (var d in loaded.Diagnostics) Console.Error.WriteLine(d);
                if (loaded.HasErrors) return 1;
                targets.AddRange(loaded.Resources.Select(r => (r.Kind.Kind, r.Kind.Namespaced ? r.Namespace : "-", r.Name)));
            }
            if (targets.Count == 0)
            {
                Console.Error.WriteLine("rig delete: name resources with -f FILE or KIND/NAMESPACE/NAME");
                return 1;
            }
            using var client = new ResourceClient(parse.GetValue(server)!);
            var failed = 0;
            foreach (var (kind, ns, name) in targets)
            {
                if (!ResourceClient.Print(await client.DeleteAsync(kind, ns, name, cancellationToken), Console.Out, Console.Error)) failed++;
            }
            return failed == 0 ? 0 : 1;
        });
        return command;
    }
}
