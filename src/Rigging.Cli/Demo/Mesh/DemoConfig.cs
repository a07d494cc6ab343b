namespace Rigging.Cli.Demo.Mesh;

/// <summary>
/// The working config directory the control plane watches, laid anew from samples/bookinfo/config on every run:
/// the Services, Istio's destination-rule-all.yaml, and the reviews VirtualService the user edits
/// (Istio's virtual-service-reviews-80-20.yaml, copied as virtual-service-reviews.yaml).
/// </summary>
internal static class DemoConfig
{
    public const string FileToEdit = "virtual-service-reviews.yaml";

    /// <summary>Writes the starting set; returns the path of the file to edit.</summary>
    public static string Prepare(DemoPaths paths)
    {
        if (Directory.Exists(paths.Config)) Directory.Delete(paths.Config, recursive: true);
        Directory.CreateDirectory(paths.Config);
        var istio = Path.Combine(paths.SampleConfig, "istio");
        File.Copy(Path.Combine(paths.SampleConfig, "services.yaml"), Path.Combine(paths.Config, "services.yaml"));
        File.Copy(Path.Combine(istio, "destination-rule-all.yaml"), Path.Combine(paths.Config, "destination-rule-all.yaml"));
        var edit = Path.Combine(paths.Config, FileToEdit);
        File.Copy(Path.Combine(istio, "virtual-service-reviews-80-20.yaml"), edit);
        return edit;
    }
}
