import Coordinator
import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization
import TestPKI
import Testing
import Wire

#if canImport(Glibc)
import Glibc
#endif

/// The agent link is TLS by default, and an agent talks to no one it cannot verify.
@Suite(.serialized) struct AgentLinkTLSTests {
    /// Someone who binds the coordinator's port (during a restart, say) with a certificate of
    /// their own CA, or with no TLS at all, gets no `hello` and no credential: the agent
    /// verifies the certificate before it sends anything.
    @Test func anAgent_refusesAServerItCannotVerify_andSendsItNothing() async throws {
        try await Fleet.run { fleet in
            try await fleet.startCoordinator()  // for the enrolment; the agent never dials it
            let impostorPKI = try TestPKI(name: "Not the fleet's CA")
            let issued = try impostorPKI.issue()
            let tls = try NIOSSLContext(
                configuration: .makeServerConfiguration(
                    certificateChain: try NIOSSLCertificate.fromPEMBytes(Array(issued.certificatePEM.utf8)).map {
                        .certificate($0)
                    },
                    privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(issued.keyPEM.utf8), format: .pem))))
            let decrypted = try await Listening(tls: tls)
            let plain = try await Listening(tls: nil)
            let secret = try await fleet.enroll("careful-agent")
            for listener in [decrypted, plain] {
                let agent = try ManagedProcess(
                    name: "careful-agent-\(listener.port)",
                    arguments: [
                        "agent", "--coordinator", "127.0.0.1:\(listener.port)", "--credential-file",
                        fleet.path("careful-agent.credential"), "--ca-file", fleet.tls.ca, "--agent-id",
                        "careful-agent",
                        "--gpus", "1", "--handshake-timeout-seconds", "1", "--state-dir", fleet.path("state-careful"),
                    ], directory: fleet.directory)
                defer { agent.kill() }
                // Refused by verification, or (the plain listener, which never answers the
                // ClientHello) given up on after the handshake timeout.
                _ = try await eventually("\(agent.name) to give up on the server", timeout: .seconds(15)) {
                    agent.log.contains("connection to coordinator lost") ? true : nil
                }
                if listener === decrypted { #expect(agent.log.contains("CERTIFICATE_VERIFY_FAILED")) }
            }
            #expect(decrypted.received.isEmpty, "a server with an unverifiable certificate read application data")
            #expect(decrypted.accepted > 0, "the agent never dialled the impostor")
            // What reached the plain listener is a TLS ClientHello: neither hello nor the secret.
            let bytes = plain.received
            #expect(!bytes.isEmpty)
            #expect(bytes.first == 0x16, "a TLS handshake record")
            #expect(!String(decoding: bytes, as: UTF8.self).contains("hello"))
            #expect(!String(decoding: bytes, as: UTF8.self).contains(secret))
            try await decrypted.close()
            try await plain.close()
        }
    }

    /// Mutual TLS, for fleets with a PKI: the client certificate names the agent (its spiffe://
    /// URI's last segment, or its common name), no credential is needed, a certificate does not
    /// admit another id, and an agent without one does not get in.
    @Test func withMutualTLS_theClientCertificateNamesTheAgent() async throws {
        try await Fleet.run { fleet in
            try await fleet.startCoordinator(mutualTLS: true)
            func agent(_ id: String, certificate: (certificate: String, key: String)?) throws -> ManagedProcess {
                try ManagedProcess(
                    name: "mtls-\(id)-\(UUID().uuidString.prefix(4))",
                    arguments: [
                        "agent", "--coordinator", "127.0.0.1:\(fleet.agentsPort)", "--ca-file", fleet.tls.ca,
                        "--agent-id", id, "--gpus", "1", "--state-dir", fleet.path("state-mtls-\(id)"),
                    ]
                        + (certificate.map { ["--tls-certificate", $0.certificate, "--tls-key", $0.key] }
                            ?? ["--credential-file", fleet.path("\(id).credential")]),
                    directory: fleet.directory)
            }
            let byName = try fleet.pki.writeClientFiles(commonName: "mtls-node", to: fleet.directory)
            let bySPIFFE = try fleet.pki.writeClientFiles(
                commonName: "ignored-name", uris: ["spiffe://example.org/sweepline/agent/spiffe-node"],
                to: fleet.directory)
            let named = try agent("mtls-node", certificate: byName)
            let spiffe = try agent("spiffe-node", certificate: bySPIFFE)
            defer {
                named.kill()
                spiffe.kill()
            }
            try await fleet.waitForAgents(2)

            let impostor = try agent("someone-else", certificate: byName)
            #expect(try await impostor.waitForExit() != 0)
            #expect(
                impostor.log.contains("agent someone-else: its client certificate names agent mtls-node, not this one"),
                "\(impostor.log)")

            _ = try await fleet.enroll("no-certificate")
            let uncertified = try agent("no-certificate", certificate: nil)
            defer { uncertified.kill() }
            _ = try await eventually("the agent without a certificate to be turned away") {
                uncertified.log.contains("connection to coordinator lost") ? true : nil
            }
            let status: StatusResponse = try await fleet.client.get("/v1/status")
            #expect(status.agentsConnected == 2)
        }
    }

    /// The coordinator will not serve agents without a certificate unless told, loudly, to go
    /// without TLS; and a bad key file is named at start-up.
    @Test func theCoordinator_needsACertificate_orTheLoudlyNamedPlaintextFlag() async throws {
        try await Fleet.run { fleet in
            let bare = try ManagedProcess(
                name: "coordinator-without-tls",
                arguments: [
                    "coordinator", "--agents-listen", "127.0.0.1:0", "--http-listen", "127.0.0.1:0", "--store",
                    fleet.path("bare.db"), "--operator-token-file", fleet.path("operator.token"),
                ], directory: fleet.directory)
            #expect(try await bare.waitForExit() != 0)
            #expect(bare.log.contains("the agent link needs --tls-certificate FILE and --tls-key FILE"), "\(bare.log)")

            try "not a key".write(toFile: fleet.path("bad.key"), atomically: true, encoding: .utf8)
            let badKey = try ManagedProcess(
                name: "coordinator-bad-key",
                arguments: [
                    "coordinator", "--agents-listen", "127.0.0.1:0", "--http-listen", "127.0.0.1:0", "--store",
                    fleet.path("bad-key.db"), "--operator-token-file", fleet.path("operator.token"),
                    "--tls-certificate", fleet.tls.certificate, "--tls-key", fleet.path("bad.key"),
                ], directory: fleet.directory)
            #expect(try await badKey.waitForExit() != 0)
            #expect(
                badKey.log.contains("agent link TLS: cannot load the private key (PEM) from \(fleet.path("bad.key"))"),
                "\(badKey.log)")
        }
    }
}

/// A listener that accepts connections and keeps whatever application bytes reach it.
private final class Listening: Sendable {
    let channel: any Channel
    private let seen = Seen()

    init(tls: NIOSSLContext?) async throws {
        let seen = self.seen
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    seen.connections.withLock { $0 += 1 }
                    if let tls { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls)) }
                    try channel.pipeline.syncOperations.addHandler(Collector(seen: seen))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
    }

    var port: Int { channel.localAddress?.port ?? 0 }
    var received: [UInt8] { seen.bytes.withLock { $0 } }
    var accepted: Int { seen.connections.withLock { $0 } }

    func close() async throws { try await channel.close() }

    private final class Seen: Sendable {
        let bytes = Mutex<[UInt8]>([])
        let connections = Mutex(0)
    }

    private final class Collector: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let seen: Seen

        init(seen: Seen) { self.seen = seen }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let buffer = unwrapInboundIn(data)
            seen.bytes.withLock { $0 += buffer.readableBytesView }
        }
    }
}
