import NIOSSL

/// How the agent listener protects its connections.
public enum AgentLinkSecurity: Sendable {
    /// TLS with the coordinator's certificate: agents verify it before sending anything.
    /// With `clientCAFile`, mutual TLS: every agent must present a certificate that chains to
    /// it, and the agent id is the certificate's identity (``CertificateIdentity``) instead of
    /// an enrolled credential.
    case tls(certificateFile: String, keyFile: String, clientCAFile: String? = nil)
    /// Plain TCP: credentials cross the network in the clear. For tests on loopback only, and
    /// named loudly wherever it is chosen (`--insecure-plaintext-agent-link`).
    case insecurePlaintext

    /// The server context, loaded once: a missing or malformed file is an error at start-up
    /// that names it, not a failed handshake later.
    func serverContext() throws -> NIOSSLContext? {
        guard case .tls(let certificateFile, let keyFile, let clientCAFile) = self else { return nil }
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMFile(certificateFile)
        } catch {
            throw AgentLinkTLSError(file: certificateFile, what: "certificate (PEM)", underlying: error)
        }
        guard !chain.isEmpty else {
            throw AgentLinkTLSError(file: certificateFile, what: "certificate (PEM)", underlying: nil)
        }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(file: keyFile, format: .pem)
        } catch {
            throw AgentLinkTLSError(file: keyFile, what: "private key (PEM)", underlying: error)
        }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        configuration.minimumTLSVersion = .tlsv12
        if let clientCAFile {
            do {
                configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(clientCAFile))
            } catch {
                throw AgentLinkTLSError(file: clientCAFile, what: "client CA certificates (PEM)", underlying: error)
            }
            // Agents dial from anywhere: their certificates name agents, not hosts.
            configuration.certificateVerification = .noHostnameVerification
        }
        return try NIOSSLContext(configuration: configuration)
    }

    /// Whether agents are identified by their client certificates.
    var isMutual: Bool {
        if case .tls(_, _, let clientCAFile) = self { return clientCAFile != nil }
        return false
    }
}

/// A TLS file of the agent link could not be loaded.
public struct AgentLinkTLSError: Error, CustomStringConvertible {
    public var file: String
    public var what: String
    public var underlying: (any Error)?

    public var description: String {
        "agent link TLS: cannot load the \(what) from \(file)"
            + (underlying.map { ": \($0)" } ?? ": no certificate in it")
    }
}
