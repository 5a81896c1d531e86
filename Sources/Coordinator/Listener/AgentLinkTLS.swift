import NIOSSL

/// How the agent listener protects its connections.
public enum AgentLinkSecurity: Sendable {
    /// TLS with the coordinator's certificate: agents verify it before sending anything.
    case tls(certificateFile: String, keyFile: String)
    /// Plain TCP: credentials cross the network in the clear. For tests on loopback only, and
    /// named loudly wherever it is chosen (`--insecure-plaintext-agent-link`).
    case insecurePlaintext

    /// The server context, loaded once: a missing or malformed file is an error at start-up
    /// that names it, not a failed handshake later.
    func serverContext() throws -> NIOSSLContext? {
        guard case .tls(let certificateFile, let keyFile) = self else { return nil }
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
        return try NIOSSLContext(configuration: configuration)
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
