import Coordinator
import Foundation
import NIOSSL
import SweeplineCLI
import TestPKI
import Testing
import Wire

/// A coordinator process and agent processes on loopback, in a directory of their own.
final class Fleet: @unchecked Sendable {
    // @unchecked: the processes dictionary is touched only from the test's own task.
    let directory: URL
    let operatorToken = "operator-token-\(UUID().uuidString)"
    let readerToken = "reader-token-\(UUID().uuidString)"
    private(set) var coordinator: ManagedProcess?
    private(set) var agents: [String: ManagedProcess] = [:]
    private(set) var agentsPort = 0
    private(set) var httpPort = 0
    /// The agent link's CA, server certificate and key (a private CA made for this fleet).
    let tls: (ca: String, certificate: String, key: String)
    /// The fleet's CA, to issue agents' client certificates for mutual TLS.
    let pki: TestPKI
    /// Whether the coordinator serves agents over plain TCP (for tests that write raw frames).
    private(set) var plaintextAgentLink = false
    /// Each enrolled agent's secret.
    private(set) var secrets: [AgentID: String] = [:]

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("sweepline-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for (name, token) in [("operator", operatorToken), ("reader", readerToken)] {
            try token.write(to: directory.appendingPathComponent("\(name).token"), atomically: true, encoding: .utf8)
        }
        pki = try TestPKI()
        tls = try pki.writeServerFiles(to: directory)
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// Runs a scenario on a new fleet; when it throws, the failure carries every process's log.
    static func run(_ scenario: (Fleet) async throws -> Void) async throws {
        let fleet = try Fleet()
        do {
            try await scenario(fleet)
        } catch {
            Issue.record("\(error)\n\(fleet.logs)")
        }
    }

    /// Starts (or restarts, on the same store and ports) the coordinator.
    func startCoordinator(
        leaseSeconds: Double = 3, recoveryGraceSeconds: Double = 15, httpIdleTimeoutSeconds: Double = 15,
        maximumConnectionsBeforeHello: Int = 1024, maximumFramesQueuedPerAgent: Int = 4096,
        plaintextAgentLink: Bool = false, storePath: String? = nil, mutualTLS: Bool = false
    ) async throws {
        self.plaintextAgentLink = plaintextAgentLink
        let link =
            plaintextAgentLink
            ? ["--insecure-plaintext-agent-link"]
            : ["--tls-certificate", tls.certificate, "--tls-key", tls.key]
                + (mutualTLS ? ["--tls-client-ca", tls.ca] : [])
        let name = coordinator == nil ? "coordinator" : "coordinator-restarted-\(UUID().uuidString.prefix(4))"
        let process = try ManagedProcess(
            name: name,
            arguments: [
                "coordinator", "--agents-listen", "127.0.0.1:\(agentsPort)", "--http-listen", "127.0.0.1:\(httpPort)",
                "--store", storePath ?? path("sweepline.db"),
                "--operator-token-file", path("operator.token"), "--reader-token-file", path("reader.token"),
                "--heartbeat-seconds", "0.5", "--lease-seconds", String(leaseSeconds),
                "--recovery-grace-seconds", String(recoveryGraceSeconds),
                "--http-idle-timeout-seconds", String(httpIdleTimeoutSeconds),
                "--max-connections-before-hello", String(maximumConnectionsBeforeHello),
                "--max-frames-queued-per-agent", String(maximumFramesQueuedPerAgent),
            ] + link, directory: directory)
        coordinator = process
        agentsPort = Int(try await process.waitForLine(containing: "agents on").split(separator: ":").last!)!
        httpPort = Int(try await process.waitForLine(containing: "HTTP API on").split(separator: ":").last!)!
    }

    /// Enrols `id` (once) and returns its secret, also kept in `secrets` and in `ID.credential`.
    @discardableResult
    func enroll(_ id: AgentID) async throws -> String {
        if let secret = secrets[id] { return secret }
        let enrolment: EnrolmentResponse = try await client.post("/v1/agents/\(id)/enroll")
        // Mode 0600, as `sweepline agents enroll --secret-file` writes it.
        FileManager.default.createFile(
            atPath: path("\(id).credential"), contents: Data(enrolment.secret.utf8),
            attributes: [.posixPermissions: 0o600])
        secrets[id] = enrolment.secret
        return enrolment.secret
    }

    /// Enrols the agent and starts it, over TLS verified against the fleet's CA unless the
    /// coordinator runs plaintext.
    /// - Parameter credentialInEnvironment: give the agent its credential as
    ///   `SWEEPLINE_AGENT_CREDENTIAL` instead of a file.
    /// - Parameter extraArguments: more `sweepline agent` options.
    func startAgent(
        _ id: String, gpus: Int, model: String = "SIM-H200", credentialInEnvironment: Bool = false,
        extraArguments: [String] = []
    ) async throws {
        let secret = try await enroll(id)
        let credential = credentialInEnvironment ? [] : ["--credential-file", path("\(id).credential")]
        let link = plaintextAgentLink ? ["--insecure-plaintext-agent-link"] : ["--ca-file", tls.ca]
        agents[id] = try ManagedProcess(
            name: id,
            arguments: ["agent", "--coordinator", "127.0.0.1:\(agentsPort)"] + credential + link + [
                "--agent-id", id, "--gpus", String(gpus), "--gpu-model", model, "--label", "fleet=e2e",
                "--state-dir", path("state-\(id)"),
            ] + extraArguments, directory: directory,
            environment: credentialInEnvironment ? ["SWEEPLINE_AGENT_CREDENTIAL": secret] : [:])
    }

    /// A hand-driven agent connection, over TLS trusting the fleet's CA unless the link is plaintext.
    func rawAgent() async throws -> RawAgent {
        guard !plaintextAgentLink else { return try await RawAgent.connect(port: agentsPort) }
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.trustRoots = .file(tls.ca)
        return try await RawAgent.connect(port: agentsPort, tls: try NIOSSLContext(configuration: configuration))
    }

    var client: APIClient { try! APIClient(url: "http://127.0.0.1:\(httpPort)", token: operatorToken) }

    func submit(_ yaml: String) async throws -> [JobID] {
        let response: SubmitResponse = try await client.post("/v1/jobs", body: Data(yaml.utf8))
        return response.jobs
    }

    func jobs() async throws -> [JobSummary] { try await client.get("/v1/jobs") }

    func job(_ id: JobID) async throws -> JobDetail { try await client.get("/v1/jobs/\(id)?log=100") }

    func records(_ id: JobID, attempt: Attempt) async throws -> [JSONValue] {
        var records: [JSONValue] = []
        var next: String? = "/v1/jobs/\(id)/records?attempt=\(attempt)"
        while let path = next {
            let page: RecordsPage = try await client.get(path)
            records += page.records
            next = page.next
        }
        return records
    }

    func waitForAgents(_ count: Int) async throws {
        try await eventually("\(count) agents to connect") {
            let status: StatusResponse = try await client.get("/v1/status")
            return status.agentsConnected >= count ? true : nil
        }
    }

    /// Waits until no job is queued or running.
    func waitUntilSettled(timeout: Duration = .seconds(90)) async throws -> [JobSummary] {
        try await eventually("every job to finish", timeout: timeout) {
            let jobs = try await jobs()
            return jobs.allSatisfy { $0.job.state.isTerminal } ? jobs : nil
        }
    }

    /// Every process's log, for a failing test's report.
    var logs: String {
        ([coordinator].compactMap { $0 } + agents.values).map { "--- \($0.name) ---\n\($0.log)" }.joined(
            separator: "\n")
    }

    /// A job file of `count` example workloads.
    func exampleJobs(_ name: String, count: Int, records: Int, intervalMs: Int, gpus: Int = 1) -> String {
        """
        jobs:
          - name: \(name)
            count: \(count)
            gpus: \(gpus)
            labels: {fleet: e2e}
            command:
              argv: ["\(ManagedProcess.binary)", "example-workload", "--records", "\(records)", "--interval-ms", "\(intervalMs)"]
        """
    }

    deinit {
        coordinator?.kill()
        agents.values.forEach { $0.kill() }
    }
}
