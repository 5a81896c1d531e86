import NIOSSL
import X509

/// The agent id a client certificate names, for fleets whose PKI (cert-manager, SPIFFE) issues
/// each node a certificate: the last path segment of its `spiffe://` URI name when it has one
/// (`spiffe://example.org/sweepline/agent/gpu-node-07` names `gpu-node-07`), else its subject's
/// common name.
enum CertificateIdentity {
    static func agentID(of certificate: NIOSSLCertificate) -> String? {
        guard let parsed = try? Certificate(derEncoded: certificate.toDERBytes()) else { return nil }
        let uris = (try? parsed.extensions.subjectAlternativeNames)?.compactMap { name -> String? in
            if case .uniformResourceIdentifier(let uri) = name { uri } else { nil }
        }
        if let id = uris?.lazy.compactMap(agentID(ofSPIFFE:)).first { return id }
        return parsed.subject.lazy.flatMap { $0 }.first { $0.type == .RDNAttributeType.commonName }?.value.description
    }

    /// The last segment of a SPIFFE ID's path: `spiffe://TRUST-DOMAIN/PATH`. One without a path
    /// names only its trust domain, not an agent.
    static func agentID(ofSPIFFE uri: String) -> String? {
        guard uri.hasPrefix("spiffe://") else { return nil }
        let segments = uri.dropFirst("spiffe://".count).split(separator: "/")
        return segments.count > 1 ? segments.last.map(String.init) : nil
    }
}
