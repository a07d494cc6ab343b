using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Envoy.Config.Core.V3;
using Envoy.Extensions.TransportSockets.Tls.V3;
using Rigging.Proxy.Config;

namespace Rigging.Proxy.Security.Tls;

/// <summary>SDS Secret resources and inline TLS data → <see cref="SecretModel"/> (PEM from inline bytes, strings or files).</summary>
internal static class SecretCompiler
{
    public static SecretModel Compile(Secret secret)
    {
        var where = $"Secret {secret.Name}";
        return secret.TypeCase switch
        {
            Secret.TypeOneofCase.TlsCertificate => Certificate(secret.TlsCertificate, $"{where}: tls_certificate"),
            Secret.TypeOneofCase.ValidationContext => Trust(
                secret.ValidationContext.TrustedCa ?? throw new ConfigException($"{where}: validation_context.trusted_ca is required"),
                $"{where}: validation_context.trusted_ca"),
            _ => throw new ConfigException($"{where}: needs tls_certificate or validation_context"),
        };
    }

    public static SecretModel Certificate(TlsCertificate certificate, string where)
    {
        var chainPem = Read(certificate.CertificateChain, $"{where}.certificate_chain");
        var keyPem = Read(certificate.PrivateKey, $"{where}.private_key");
        try
        {
            var leaf = X509Certificate2.CreateFromPem(chainPem, keyPem);
            var all = new X509Certificate2Collection();
            all.ImportFromPem(chainPem);
            var intermediates = new X509Certificate2Collection();
            for (var i = 1; i < all.Count; i++) intermediates.Add(all[i]);
            return SecretModel.Identity(leaf, intermediates);
        }
        catch (CryptographicException e)
        {
            throw new ConfigException($"{where}: certificate_chain/private_key is not a PEM certificate with its key: {e.Message}");
        }
    }

    public static SecretModel Trust(DataSource source, string where)
    {
        if (source?.SpecifierCase != DataSource.SpecifierOneofCase.Filename) return SecretModel.Trust(Roots(Read(source, where), where));
        try
        {
            return SecretModel.Trust(TrustFiles.Load(source.Filename, pem => Roots(pem, where)));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException($"{where}: cannot read {source.Filename}: {e.Message}");
        }
    }

    private static X509Certificate2Collection Roots(string pem, string where)
    {
        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPem(pem);
        }
        catch (CryptographicException e)
        {
            throw new ConfigException($"{where}: not PEM certificates: {e.Message}");
        }
        if (roots.Count == 0) throw new ConfigException($"{where}: holds no PEM certificate");
        return roots;
    }

    private static string Read(DataSource? source, string where)
    {
        if (source is null) throw new ConfigException($"{where} is required");
        switch (source.SpecifierCase)
        {
            case DataSource.SpecifierOneofCase.InlineString:
                return source.InlineString;
            case DataSource.SpecifierOneofCase.InlineBytes:
                return Encoding.UTF8.GetString(source.InlineBytes.Span);
            case DataSource.SpecifierOneofCase.EnvironmentVariable:
                return Environment.GetEnvironmentVariable(source.EnvironmentVariable)
                    ?? throw new ConfigException($"{where}: environment variable {source.EnvironmentVariable} is not set");
            case DataSource.SpecifierOneofCase.Filename:
                try
                {
                    return File.ReadAllText(source.Filename);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new ConfigException($"{where}: cannot read {source.Filename}: {e.Message}");
                }
            default:
                throw new ConfigException($"{where}: needs filename, inline_bytes, inline_string or environment_variable");
        }
    }
}
