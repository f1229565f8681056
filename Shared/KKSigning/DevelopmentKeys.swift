import Crypto
import Foundation
import SwiftASN1
import X509
import _CryptoExtras

/// `kk-dev keygen`: a development CA and a signer certificate for the
/// Kepala Dinas (name as CN, NIP as serialNumber), the signer's key encrypted
/// with a passphrase. Never for production: there the certificate comes from
/// the national CA (BSrE).
public enum DevelopmentKeys {
    /// What every development CA's common name carries; a production installation refuses a CA carrying it.
    public static let caMarker = "Development CA (BUKAN UNTUK PRODUKSI)"

    /// "KK Kabupaten Bantul Development CA (BUKAN UNTUK PRODUKSI)".
    public static func caCommonName(regencyTitle: String) -> String { "KK \(regencyTitle) \(caMarker)" }

    /// Whether `certificate` is a development CA made by `generate` (for any office).
    public static func isDevelopmentCA(_ certificate: Certificate) -> Bool {
        certificate.subject.description.contains(caMarker)
    }

    /// The certificate subject's common name.
    public static func commonName(of certificate: Certificate) -> String? {
        for rdn in certificate.subject {
            for attribute in rdn where attribute.type == .RDNAttributeType.commonName { return String(describing: attribute.value) }
        }
        return nil
    }

    public struct Files: Sendable {
        public let caCertificate: String
        public let signerCertificate: String
        public let signerKey: String
    }

    /// `regencyTitle`: the office's "Kabupaten Bantul" or "Kota Yogyakarta", named in both certificates.
    public static func generate(
        name: String, nip: String, passphrase: String, regencyTitle: String = "Kabupaten Bantul", validity: TimeInterval = 365 * 86_400,
        now: Date = Date()
    ) throws -> Files {
        let caKey = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let signerKey = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let caName = try DistinguishedName {
            CountryName("ID")
            OrganizationName("Pemerintah \(regencyTitle)")
            CommonName(caCommonName(regencyTitle: regencyTitle))
        }
        let signerName = try DistinguishedName([
            RelativeDistinguishedName.Attribute(type: .RDNAttributeType.countryName, value: try .init(printableString: "ID")),
            RelativeDistinguishedName.Attribute(type: .RDNAttributeType.organizationName, value: .init(utf8String: "Pemerintah \(regencyTitle)")),
            RelativeDistinguishedName.Attribute(
                type: .RDNAttributeType.organizationalUnitName, value: .init(utf8String: "Dinas Kependudukan dan Pencatatan Sipil")),
            RelativeDistinguishedName.Attribute(type: SigningIdentity.serialNumberOID, value: try .init(printableString: nip)),
            RelativeDistinguishedName.Attribute(type: .RDNAttributeType.commonName, value: .init(utf8String: name)),
        ])
        let start = now.addingTimeInterval(-3600)
        let ca = try Certificate(
            version: .v3, serialNumber: serialNumber(), publicKey: .init(caKey.publicKey), notValidBefore: start,
            notValidAfter: start.addingTimeInterval(validity * 5), issuer: caName, subject: caName, signatureAlgorithm: .sha256WithRSAEncryption,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
            }, issuerPrivateKey: .init(caKey))
        let signer = try Certificate(
            version: .v3, serialNumber: serialNumber(), publicKey: .init(signerKey.publicKey), notValidBefore: start,
            notValidAfter: start.addingTimeInterval(validity), issuer: caName, subject: signerName,
            signatureAlgorithm: .sha256WithRSAEncryption,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true, nonRepudiation: true))
            }, issuerPrivateKey: .init(caKey))
        let encrypted = try EncryptedPrivateKey.encrypt(try PEMDocument(pemString: signerKey.pkcs8PEMRepresentation).derBytes, passphrase: passphrase)
        return Files(
            caCertificate: try ca.serializeAsPEM().pemString, signerCertificate: try signer.serializeAsPEM().pemString,
            signerKey: PEMDocument(type: "ENCRYPTED PRIVATE KEY", derBytes: encrypted).pemString)
    }

    /// 16 random bytes, positive without a padding byte: some verifiers (NSS, used
    /// by poppler's pdfsig) fail to match serial numbers that need one.
    static func serialNumber() -> Certificate.SerialNumber {
        var bytes = (0..<16).map { _ in UInt8.random(in: 0...255) }
        bytes[0] = bytes[0] & 0x7F | 0x40
        return Certificate.SerialNumber(bytes: bytes)
    }
}
