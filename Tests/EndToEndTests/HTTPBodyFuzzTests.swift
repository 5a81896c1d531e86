import Coordinator
import Foundation
import Fuzzing
import SweeplineCLI
import Testing
import Wire

/// Random and mutated request bodies against a real coordinator's HTTP API: every answer is
/// a success or a 4xx with a reason, never a 5xx or a dead process, and its memory stays
/// bounded. Bounded in requests and time for CI.
@Suite(.serialized) struct HTTPBodyFuzzTests {
    @Test func mutatedRequestBodies_getAnswers_never5xx() async throws {
        try await Fleet.run { fleet in
            try await fleet.startCoordinator()
            var mutator = Mutator(seedFromEnvironment: ProcessInfo.processInfo.environment)
            print("HTTPBodyFuzzTests seed \(mutator.seed) (SWEEPLINE_FUZZ_SEED replays it)")
            let seeds: [(String, [UInt8])] = [
                ("/v1/jobs", Array(RequestBodySeeds.jobFile.utf8)),
                ("/v1/sweeps", Array(RequestBodySeeds.sweepFile.utf8)),
                ("/v1/agents/fuzzed/drain", Array(#"{"reason": "PSU swap"}"#.utf8)),
            ]
            let residentBefore = Self.residentBytes(of: fleet.coordinator!.pid)
            let deadline = ContinuousClock.now + .seconds(30)
            var statuses: [Int: Int] = [:]
            for round in 0..<150 where round < 30 || ContinuousClock.now < deadline {
                let (path, seed) = seeds[round % seeds.count]
                let body = round % 6 == 0 ? mutator.random(maximum: 4096) : mutator.mutate(seed)
                do {
                    _ = try await fleet.client.send(.POST, path, body: Data(body))
                    statuses[200, default: 0] += 1
                } catch let error as APIError {
                    #expect(
                        (400..<500).contains(error.status), "\(path) answered \(error.status): \(error.message)")
                    #expect(!error.message.isEmpty)
                    statuses[error.status, default: 0] += 1
                }
            }
            #expect(fleet.coordinator!.isRunning)
            let growth = Self.residentBytes(of: fleet.coordinator!.pid) - residentBefore
            #expect(growth < 64 << 20, "the coordinator grew by \(growth >> 20) MiB")
            let status: StatusResponse = try await fleet.client.get("/v1/status")
            #expect(status.failure == nil)
            print("HTTPBodyFuzzTests answers by status: \(statuses.sorted { $0.key < $1.key })")
        }
    }
}

extension HTTPBodyFuzzTests {
    static func residentBytes(of pid: Int32) -> Int {
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        return (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) * 1024
    }
}

enum RequestBodySeeds {
    static let jobFile = """
        jobs:
          - name: e2e-fuzz
            count: 2
            gpus: 1
            gpuModel: NO-SUCH-GPU
            command: {argv: ["true"], env: {A: b}}
        """
    /// Hardware no agent has, so an accepted sweep queues and runs nothing.
    static let sweepFile = """
        sweep:
          name: fuzz
          workload: {promptsPerConcurrency: 2}
          entries:
            - model: Llama-3.3-70B-Instruct
              engine: {kind: sim}
              precision: fp8
              hardware: {gpu: H200-SXM, labels: {fleet: nowhere}}
              scenarios: [{isl: 1024, osl: 1024}]
              search: {tp: [1, 2], concurrency: [4, 8]}
        """
}
