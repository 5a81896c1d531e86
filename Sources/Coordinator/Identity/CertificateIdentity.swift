import NIOSSL
import X509

/// The agent id a client certificate names, for fleets whose PKI (cert-manager, SPIFFE) issues
/// each node a certificate: the last path segment of its `spiffe://` URI name when it has one
/// (`spiffe://example.org/sweepline/agent/gpu-node-07` names `gpu-node-07`), else its subject's
/// common name.
enum CertificateIdentity {
    static func agentID(of certificate: NIOSSLCertificate) -> String? {
        guard let parsed = try? Certificate(derEncoded: certificate.toDERBytes()) else { return nil }
        if let names = try? parsed.extensions.subjectAlternativeNames {
            for case .uniformResourceIdentifier(let uri) in names where uri.hasPrefix("spiffe://") {
                if let last = uri.split(separator: "/").last, !uri.hasSuffix("//") { return String(last) }
            }
        }
        for relative in parsed.subject {
            for attribute in relative where attribute.type == .RDNAttributeType.commonName {
                return attribute.value.description
            }
        }
        return nil
    }
}
