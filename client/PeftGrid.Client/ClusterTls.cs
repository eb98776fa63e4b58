using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Orleans.Connections.Security;

namespace PeftGrid.Client;

/// <summary>
/// Mutual TLS for silo-to-silo and client-to-gateway connections (Microsoft.Orleans.Connections.Security). Every
/// party presents <see cref="Certificate"/> and accepts a remote certificate only if it chains to
/// <see cref="Authority"/> (a private CA, e.g. the self-signed one of the README) or, without one, to the system trust
/// store. Host names are not checked: silos are addressed by IP (pod IPs), so the identity is "issued by the CA".
/// </summary>
public sealed class ClusterTls
{
    /// <summary>Creates the settings from loaded certificates.</summary>
    /// <param name="certificate">This party's certificate with its private key (EKU serverAuth and clientAuth when it has an EKU extension).</param>
    /// <param name="authority">The CA that issued every certificate of the cluster; null = the system trust store.</param>
    /// <exception cref="ArgumentException"><paramref name="certificate"/> has no private key.</exception>
    public ClusterTls(X509Certificate2 certificate, X509Certificate2? authority)
    {
        Certificate = certificate.HasPrivateKey ? certificate : throw new ArgumentException("TLS certificate: it has no private key (use a PKCS#12/.pfx file that contains the key)");
        Authority = authority;
    }

    /// <summary>This party's certificate (with private key).</summary>
    public X509Certificate2 Certificate { get; }
    /// <summary>The trusted CA; null = the system trust store.</summary>
    public X509Certificate2? Authority { get; }

    /// <summary>Loads a PKCS#12 (.pfx) certificate and optionally a CA certificate (PEM or DER).</summary>
    /// <param name="pfxPath">The .pfx file.</param>
    /// <param name="password">Its password (null or empty for none).</param>
    /// <param name="authorityPath">The CA certificate file; null = the system trust store.</param>
    /// <exception cref="FileNotFoundException">A file does not exist.</exception>
    /// <exception cref="ArgumentException">A file cannot be read as a certificate (wrong password, wrong format) or has no private key.</exception>
    public static ClusterTls Load(string pfxPath, string? password, string? authorityPath)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(Existing(pfxPath, "TLS certificate"), string.IsNullOrEmpty(password) ? null : password);
        }
        catch (CryptographicException e)
        {
            throw new ArgumentException($"TLS certificate {pfxPath}: cannot be read as PKCS#12 (.pfx) with the given password: {e.Message}", e);
        }
        X509Certificate2? authority = null;
        if (!string.IsNullOrWhiteSpace(authorityPath))
        {
            try
            {
                var text = File.ReadAllText(Existing(authorityPath, "TLS CA certificate"));
                authority = text.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal)
                    ? X509Certificate2.CreateFromPem(text)
                    : X509CertificateLoader.LoadCertificateFromFile(authorityPath);
            }
            catch (CryptographicException e)
            {
                throw new ArgumentException($"TLS CA certificate {authorityPath}: cannot be read as a PEM or DER certificate: {e.Message}", e);
            }
        }
        return new ClusterTls(certificate, authority);
    }

    /// <summary>True if <paramref name="remote"/> chains to <see cref="Authority"/> (or the system store); revocation is not checked.</summary>
    public bool Validate(X509Certificate2 remote)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (Authority is not null)
        {
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(Authority);
        }
        return chain.Build(remote);
    }

    /// <summary>Applies these settings to Orleans' TLS options: this certificate, a certificate required from every remote
    /// party (silos and clients alike), validated by <see cref="Validate"/>.</summary>
    public void Apply(TlsOptions options)
    {
        options.LocalCertificate = Certificate;
        options.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.RemoteCertificateValidation = (certificate, _, _) => Validate(certificate);
    }

    private static string Existing(string path, string what) =>
        File.Exists(path) ? path : throw new FileNotFoundException($"{what}: file not found: {path}", path);
}
