using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PeftGrid.Integration.Tests.Security;

/// <summary>A throwaway CA and a node certificate it issued (serverAuth + clientAuth), written as the README's setup
/// writes them: <c>ca.pem</c>, <c>node.pfx</c> and a password file.</summary>
public sealed class TestCertificates : IDisposable
{
    public TestCertificates(string name)
    {
        Directory = Path.Combine(Path.GetTempPath(), $"peftgrid-tls-{name}-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(Directory);
        var now = DateTimeOffset.UtcNow;
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest($"CN=PeftGrid test CA {name}", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));

        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=peftgrid-node", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var issued = request.Create(ca, now.AddDays(-1), now.AddDays(7), RandomNumberGenerator.GetBytes(16));
        using var node = issued.CopyWithPrivateKey(key);

        Password = $"pfx{Guid.NewGuid():N}";
        File.WriteAllBytes(Pfx, node.Export(X509ContentType.Pfx, Password));
        File.WriteAllText(PasswordFile, Password + "\n");
        File.WriteAllText(Authority, ca.ExportCertificatePem());
    }

    public string Directory { get; }
    public string Password { get; }
    public string Pfx => Path.Combine(Directory, "node.pfx");
    public string PasswordFile => Path.Combine(Directory, "node.pfx.password");
    public string Authority => Path.Combine(Directory, "ca.pem");

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
