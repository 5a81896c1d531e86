import NIOCore
import NIOSSL

/// How an agent protects its link to the coordinator.
public enum CoordinatorLinkSecurity: Sendable {
    /// TLS, the coordinator's certificate verified against `caFile` (PEM) or the system's roots,
    /// and its name against `serverName` (by default the host dialled). Until the handshake has
    /// verified it, nothing is sent: not `hello`, not the credential. With `clientCertificate`
    /// (PEM files), the agent proves who it is with that certificate (mutual TLS).
    case tls(caFile: String?, serverName: String?, clientCertificate: (certificate: String, key: String)? = nil)
    /// Plain TCP, for tests on loopback: `--insecure-plaintext-agent-link`.
    case insecurePlaintext

    /// The client context and the name to verify (nil: an address, checked against the
    /// certificate's IP names).
    func clientContext(host: String) throws -> (context: NIOSSLContext, serverName: String?)? {
        guard case .tls(let caFile, let serverName, let clientCertificate) = self else { return nil }
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        configuration.certificateVerification = .fullVerification
        if let caFile {
            do {
                // Read now, so a bad file is an error that names it rather than a failed handshake.
                configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(caFile))
            } catch {
                throw CoordinatorTLSError(description: "cannot load the CA certificates (PEM) from \(caFile): \(error)")
            }
        }
        if let clientCertificate {
            do {
                configuration.certificateChain = try NIOSSLCertificate.fromPEMFile(clientCertificate.certificate).map {
                    .certificate($0)
                }
                configuration.privateKey = .privateKey(try NIOSSLPrivateKey(file: clientCertificate.key, format: .pem))
            } catch {
                throw CoordinatorTLSError(
                    description:
                        "cannot load the client certificate \(clientCertificate.certificate) or its key \(clientCertificate.key) (PEM): \(error)"
                )
            }
        }
        let name = serverName ?? host
        let isAddress = (try? SocketAddress(ipAddress: name, port: 0)) != nil
        return (try NIOSSLContext(configuration: configuration), isAddress ? nil : name)
    }
}

public struct CoordinatorTLSError: Error, CustomStringConvertible {
    public var description: String
}
