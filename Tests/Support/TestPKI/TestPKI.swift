import Crypto
import Foundation
import SwiftASN1
import X509

/// A private certificate authority made on the spot, for tests and benchmarks of the agent
/// link's TLS: what an operator makes once with openssl (README, "A private CA").
public struct TestPKI: Sendable {
    public let caPEM: String
    private let caKey: P256.Signing.PrivateKey
    private let caName: DistinguishedName

    public init(name: String = "Sweepline test CA") throws {
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName { CommonName(name) }
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey),
            notValidBefore: Date().addingTimeInterval(-3600), notValidAfter: Date().addingTimeInterval(86_400),
            issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
            },
            issuerPrivateKey: .init(key))
        self.caPEM = try certificate.serializeAsPEM().pemString
        self.caKey = key
        self.caName = name
    }

    /// A certificate and its key, PEM-encoded.
    public struct Issued: Sendable {
        public var certificatePEM: String
        public var keyPEM: String
    }

    /// A server certificate for `localhost` and 127.0.0.1, also usable as a client certificate
    /// (whose identity is its `spiffe://` URI's last segment, or else `commonName`).
    public func issue(commonName: String = "localhost", dnsNames: [String] = ["localhost"], uris: [String] = [])
        throws -> Issued
    {
        let key = P256.Signing.PrivateKey()
        let names =
            dnsNames.map { GeneralName.dnsName($0) } + uris.map { GeneralName.uniformResourceIdentifier($0) }
            + [.ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1]))]
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey),
            notValidBefore: Date().addingTimeInterval(-3600), notValidAfter: Date().addingTimeInterval(86_400),
            issuer: caName, subject: try DistinguishedName { CommonName(commonName) },
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth, .clientAuth])
                SubjectAlternativeNames(names)
            },
            issuerPrivateKey: .init(caKey))
        return Issued(certificatePEM: try certificate.serializeAsPEM().pemString, keyPEM: key.pemRepresentation)
    }

    /// Writes a client certificate and its key for `commonName` into `directory`; returns their paths.
    public func writeClientFiles(commonName: String, uris: [String] = [], to directory: URL) throws -> (
        certificate: String, key: String
    ) {
        let issued = try issue(commonName: commonName, dnsNames: [], uris: uris)
        let certificate = directory.appendingPathComponent("\(commonName).pem")
        let key = directory.appendingPathComponent("\(commonName).key")
        try issued.certificatePEM.write(to: certificate, atomically: true, encoding: .utf8)
        try issued.keyPEM.write(to: key, atomically: true, encoding: .utf8)
        return (certificate.path, key.path)
    }

    /// Writes `ca.pem`, `server.pem` and `server.key` into `directory`; returns their paths.
    public func writeServerFiles(to directory: URL) throws -> (ca: String, certificate: String, key: String) {
        let server = try issue()
        let ca = directory.appendingPathComponent("ca.pem")
        let certificate = directory.appendingPathComponent("server.pem")
        let key = directory.appendingPathComponent("server.key")
        try caPEM.write(to: ca, atomically: true, encoding: .utf8)
        try server.certificatePEM.write(to: certificate, atomically: true, encoding: .utf8)
        try server.keyPEM.write(to: key, atomically: true, encoding: .utf8)
        return (ca.path, certificate.path, key.path)
    }
}
