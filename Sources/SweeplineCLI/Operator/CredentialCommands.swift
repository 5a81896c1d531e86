import ArgumentParser
import Coordinator
import Foundation

/// Where a minted secret goes: a file only its owner can read, or standard output once.
struct SecretOutput: ParsableArguments {
    @Option(help: "Write the secret to this file (mode 0600) instead of printing it.")
    var secretFile: String?

    func deliver(_ enrolment: EnrolmentResponse, verb: String, in context: CommandContext) throws {
        guard let secretFile else {
            context.write(enrolment.secret)
            context.write("# \(enrolment.agent) \(verb); the line above is its secret, shown this once.")
            return
        }
        let url = URL(fileURLWithPath: secretFile)
        // Created with its final mode, so the secret is never readable by others, not even briefly.
        try? FileManager.default.removeItem(at: url)
        guard
            FileManager.default.createFile(
                atPath: secretFile, contents: Data((enrolment.secret + "\n").utf8),
                attributes: [.posixPermissions: 0o600])
        else {
            throw ValidationError(
                "cannot write the secret to \(secretFile); the credential is minted but unknown: rotate it")
        }
        context.write("\(enrolment.agent) \(verb); its secret is in \(secretFile)")
    }
}

struct EnrollCommand: OperatorCommand {
    static let configuration = CommandConfiguration(
        commandName: "enroll",
        abstract: "Mint the credential an agent connects with; the coordinator keeps only its hash.",
        discussion: "Give the secret to the agent as --credential-file. Enrolling an agent twice is refused: rotate it."
    )
    @OptionGroup var connection: OperatorOptions
    @OptionGroup var output: SecretOutput
    @Argument(help: "The agent id (as the agent's --agent-id).")
    var agent: String

    func run(in context: CommandContext) async throws {
        let enrolment: EnrolmentResponse = try await connection.client(in: context).post("/v1/agents/\(agent)/enroll")
        try output.deliver(enrolment, verb: "enrolled", in: context)
    }
}

struct RotateCommand: OperatorCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate",
        abstract: "Replace an agent's credential: the old secret stops working for new connections at once.",
        discussion: "A connected agent stays connected; give it the new secret before it next reconnects.")
    @OptionGroup var connection: OperatorOptions
    @OptionGroup var output: SecretOutput
    @Argument(help: "The agent id.")
    var agent: String

    func run(in context: CommandContext) async throws {
        let enrolment: EnrolmentResponse = try await connection.client(in: context).post("/v1/agents/\(agent)/rotate")
        try output.deliver(enrolment, verb: "rotated", in: context)
    }
}

struct RevokeCommand: OperatorCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke",
        abstract: "Revoke an agent's credential and disconnect it; its jobs are requeued as for a lost agent.")
    @OptionGroup var connection: OperatorOptions
    @Argument(help: "The agent id.")
    var agent: String

    func run(in context: CommandContext) async throws {
        _ = try await connection.client(in: context).send(.DELETE, "/v1/agents/\(agent)/credential")
        context.write("\(agent): credential revoked")
    }
}

struct EnrolledCommand: OperatorCommand {
    static let configuration = CommandConfiguration(
        commandName: "enrolled", abstract: "List the agents that hold a credential, and since when.")
    @OptionGroup var connection: OperatorOptions
    @OptionGroup var output: FormatOption

    func run(in context: CommandContext) async throws {
        try await show(
            context, try connection.client(in: context), "/v1/credentials", as: output.format,
            render: { (enrolled: [EnrolledAgent]) in
                enrolled.isEmpty
                    ? "no agent is enrolled"
                    : enrolled.map { "\($0.agent)  enrolled \($0.enrolledAt.formatted(.iso8601))" }.joined(
                        separator: "\n")
            })
    }
}
