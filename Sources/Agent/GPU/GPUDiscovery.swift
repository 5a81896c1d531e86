import Foundation
import Synchronization
import Wire

/// Finds the node's GPUs: declared by hand, else `nvidia-smi`, else `amd-smi`, else none.
public enum GPUDiscovery {
    public struct Declared: Sendable {
        public var count: Int
        public var model: String
        public var memoryMiB: Int

        public init(count: Int, model: String, memoryMiB: Int) {
            self.count = count
            self.model = model
            self.memoryMiB = memoryMiB
        }
    }

    public static func inventory(declared: Declared?, agentID: AgentID) async throws -> Inventory {
        let hostname = ProcessInfo.processInfo.hostName
        let cores = ProcessInfo.processInfo.activeProcessorCount
        if let declared {
            let gpus = (0..<declared.count).map {
                GPUDevice(
                    index: $0, name: declared.model, memoryMiB: declared.memoryMiB, driverVersion: "declared",
                    uuid: "declared-\(agentID)-\($0)")
            }
            return Inventory(hostname: hostname, vendor: .declared, gpus: gpus, cpuCores: cores)
        }
        if let output = try await run("nvidia-smi", NvidiaSMIInventory.arguments) {
            return Inventory(
                hostname: hostname, vendor: .nvidia, gpus: try NvidiaSMIInventory.parse(output), cpuCores: cores)
        }
        if let output = try await run("amd-smi", AMDSMIInventory.arguments) {
            return Inventory(hostname: hostname, vendor: .amd, gpus: try AMDSMIInventory.parse(output), cpuCores: cores)
        }
        return Inventory(hostname: hostname, vendor: .declared, gpus: [], cpuCores: cores)
    }

    public struct ToolFailed: Error, CustomStringConvertible {
        public var tool: String
        public var detail: String
        public var description: String { "\(tool) failed: \(detail)" }
    }

    /// The tool's stdout, or `nil` when it is not on PATH.
    static func run(_ tool: String, _ arguments: [String]) async throws -> String? {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        guard path.contains(where: { FileManager.default.isExecutableFile(atPath: "\($0)/\(tool)") }) else {
            return nil
        }
        let process: ChildProcess
        do {
            process = try ChildProcess.spawn(argv: [tool] + arguments, environment: ProcessInfo.processInfo.environment)
        } catch {
            throw ToolFailed(tool: tool, detail: "\(error)")
        }
        let collected = LinesCollector()
        await process.readOutput(
            stdout: { collected.append(String($0)) }, stderr: { collected.appendError(String($0)) })
        let termination = await process.waitForExit()
        guard termination == .exited(0) else {
            throw ToolFailed(tool: tool, detail: "\(termination): \(collected.errors.joined(separator: " "))")
        }
        return collected.lines.joined(separator: "\n") + "\n"
    }
}

private final class LinesCollector: Sendable {
    private let state = Mutex<(lines: [String], errors: [String])>(([], []))
    func append(_ line: String) { state.withLock { $0.lines.append(line) } }
    func appendError(_ line: String) { state.withLock { $0.errors.append(line) } }
    var lines: [String] { state.withLock { $0.lines } }
    var errors: [String] { state.withLock { $0.errors } }
}
