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

    public static Nginx Hop(int port, int upstreamPort) => Start(HopConfig(port, upstreamPort, serverTls: null, upstreamTls: null));

    /// <summary>The client side of the TLS pair: plaintext in, mutual TLS out (verified, SNI, sessions reused) over kept-alive connections.</summary>
    public static Nginx TlsOriginatingHop(int port, int upstreamPort, PemFiles pem) => Start(HopConfig(port, upstreamPort, serverTls: null, upstreamTls: $"""
        proxy_ssl_certificate {pem.ClientCertificate};
        proxy_ssl_certificate_key {pem.ClientKey};
        proxy_ssl_trusted_certificate {pem.Root};
        proxy_ssl_verify on;
        proxy_ssl_verify_depth 2;
        proxy_ssl_name {BenchCertificates.ServerDnsName};
        proxy_ssl_server_name on;
        proxy_ssl_session_reuse on;
        """));

    /// <summary>The server side of the TLS pair: terminates TLS, requires a client certificate of the bench CA, plaintext to the backend.</summary>
    public static Nginx TlsTerminatingHop(int port, int upstreamPort, PemFiles pem) => Start(HopConfig(port, upstreamPort, serverTls: $"""
        ssl_certificate {pem.ServerCertificate};
        ssl_certificate_key {pem.ServerKey};
        ssl_client_certificate {pem.Root};
        ssl_verify_client on;
        ssl_verify_depth 2;
        ssl_session_cache shared:bench:1m;
        """, upstreamTls: null));

    /// <param name="serverTls">TLS directives of the listening side (null: plaintext).</param>
    /// <param name="upstreamTls">proxy_ssl_* directives towards the next hop (null: plaintext).</param>
    private static string HopConfig(int port, int upstreamPort, string? serverTls, string? upstreamTls) => $$"""
        upstream next { server 127.0.0.1:{{upstreamPort}}; keepalive 64; keepalive_requests 1000000; }
        server {
            listen 127.0.0.1:{{port}}{{(serverTls is null ? "" : " ssl")}} backlog=4096;
            keepalive_requests 1000000;
            {{serverTls}}
            location / {
                proxy_pass {{(upstreamTls is null ? "http" : "https")}}://next;
                proxy_http_version 1.1;
                proxy_set_header Connection "";
                proxy_buffering on;
                {{upstreamTls}}
            }
        }
        """;

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
