using System.Diagnostics;

namespace Rigging.Proxy.Bench;

/// <summary>One nginx (master + 1 worker, foreground) in its own prefix directory: a 1 KB backend or a keep-alive proxy hop.</summary>
internal sealed class Nginx : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _dir;

    private Nginx(Process process, string dir)
    {
        _process = process;
        _dir = dir;
    }

    public int Pid => _process.Id;

    public static Nginx Backend(int port) => Start($$"""
        server {
            listen 127.0.0.1:{{port}} reuseport backlog=4096;
            keepalive_requests 1000000;
            location / { default_type text/plain; return 200 "{{new string('x', 1024)}}"; }
        }
        """);

    public static Nginx Hop(int port, int upstreamPort) => Start($$"""
        upstream next { server 127.0.0.1:{{upstreamPort}}; keepalive 64; keepalive_requests 1000000; }
        server {
            listen 127.0.0.1:{{port}} backlog=4096;
            keepalive_requests 1000000;
            location / {
                proxy_pass http://next;
                proxy_http_version 1.1;
                proxy_set_header Connection "";
                proxy_buffering on;
            }
        }
        """);

    private static Nginx Start(string server)
    {
        var dir = Directory.CreateTempSubdirectory("rig-bench-nginx-").FullName;
        var conf = Path.Combine(dir, "nginx.conf");
        File.WriteAllText(conf, $$"""
            daemon off;
            master_process on;
            worker_processes 1;
            pid {{dir}}/nginx.pid;
            error_log {{dir}}/error.log warn;
            events { worker_connections 4096; }
            http {
                access_log off;
                client_body_temp_path {{dir}}/body;
                proxy_temp_path {{dir}}/proxy;
                fastcgi_temp_path {{dir}}/fastcgi;
                uwsgi_temp_path {{dir}}/uwsgi;
                scgi_temp_path {{dir}}/scgi;
                {{server}}
            }
            """);
        var start = new ProcessStartInfo("nginx", ["-p", dir, "-c", conf]) { UseShellExecute = false, RedirectStandardError = true };
        return new Nginx(Process.Start(start)!, dir);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // Left in /tmp.
        }
        catch (UnauthorizedAccessException)
        {
            // nginx workers (nobody) created temp dirs.
        }
    }
}
