using Spectre.Console;

namespace Rigging.Cli.Demo.Display;

/// <summary>The demo's messages to the user: steps, successes, problems (with the log to read), hints.</summary>
internal static class DemoConsole
{
    public static void Step(string text) => AnsiConsole.MarkupLine($"[grey]•[/] {Markup.Escape(text)}");

    public static void Ok(string text) => AnsiConsole.MarkupLine($"[green]✓[/] {Markup.Escape(text)}");

    public static void Hint(string text) => AnsiConsole.MarkupLine($"[yellow]→[/] {Markup.Escape(text)}");

    public static void Problem(string text) => AnsiConsole.MarkupLine($"[red]✗ {Markup.Escape(text)}[/]");

    /// <summary>Indented raw lines (a log's tail).</summary>
    public static void Quote(string text)
    {
        foreach (var line in text.Split('\n')) AnsiConsole.MarkupLine($"[grey]    {Markup.Escape(line)}[/]");
    }
}
