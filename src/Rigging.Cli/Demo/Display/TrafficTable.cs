using System.Globalization;
using Rigging.Cli.Demo.Traffic;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Rigging.Cli.Demo.Display;

/// <summary>The table of answers per service and version: live (last few seconds) or the run's summary.</summary>
internal static class TrafficTable
{
    /// <summary>The live view: the table over the recent window, and what to edit to move it.</summary>
    public static IRenderable Live(List<StatsRow> rows, TimeSpan elapsed, long sent, string fileToEdit)
    {
        var table = NewTable($"last {TrafficStats.Window.TotalSeconds:0} s", "req/s");
        foreach (var row in rows)
        {
            table.AddRow(
                Name(row.Service), Version(row.Version),
                new Text(row.RatePerSecond.ToString("0.0", CultureInfo.InvariantCulture)),
                Percent(row.Share, plain: true), Percent(row.Success, plain: false), Milliseconds(row.P99));
        }
        var header = new Markup(
            $"[bold]Rigging demo[/]  {elapsed.TotalSeconds:0} s, {sent} requests to productpage  [grey](Ctrl-C stops everything)[/]");
        var hint = new Markup(
            $"[yellow]→[/] edit [bold]{Markup.Escape(fileToEdit)}[/] (the weights) and watch reviews move; " +
            "more samples in [bold]samples/bookinfo/config/istio/[/]");
        return new Rows(header, table, hint);
    }

    /// <summary>The summary over the whole run.</summary>
    public static Table Summary(List<StatsRow> rows)
    {
        var table = NewTable("whole run", "requests");
        foreach (var row in rows)
        {
            table.AddRow(
                Name(row.Service), Version(row.Version),
                new Text(row.TotalCount.ToString(CultureInfo.InvariantCulture)),
                Percent(row.TotalShare, plain: true), Percent(row.TotalSuccess, plain: false), Milliseconds(row.TotalP99));
        }
        return table;
    }

    private static Table NewTable(string title, string countColumn)
    {
        var table = new Table().Border(TableBorder.Rounded).Title($"[grey]{title}[/]");
        table.AddColumn("service");
        table.AddColumn("version");
        table.AddColumn(new TableColumn(countColumn).RightAligned());
        table.AddColumn(new TableColumn("share").RightAligned());
        table.AddColumn(new TableColumn("success").RightAligned());
        table.AddColumn(new TableColumn("p99 ms").RightAligned());
        return table;
    }

    private static Text Name(string service) => new(service, new Style(decoration: Decoration.Bold));

    private static Text Version(string version) => new(version);

    private static IRenderable Percent(double? value, bool plain)
    {
        if (value is not { } v) return new Text("-", new Style(Color.Grey));
        var text = v.ToString("0.0", CultureInfo.InvariantCulture) + "%";
        if (plain) return new Text(text);
        var color = v >= 99.5 ? Color.Green : v >= 90 ? Color.Yellow : Color.Red;
        return new Text(text, new Style(color));
    }

    private static Text Milliseconds(double? value) => value is { } v
        ? new Text(v.ToString(v < 10 ? "0.0" : "0", CultureInfo.InvariantCulture))
        : new Text("-", new Style(Color.Grey));
}
