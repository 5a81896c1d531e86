import Foundation
import Testing
import Wire

@testable import Agent

#if canImport(Glibc)
import Glibc
#endif

/// The `launch` adapter against a real server process (`sweepline sim-engine` behind a shell
/// that also leaves a child in the engine's process group, as Python servers do with workers).
@Suite struct LaunchedEngineTests {
    /// A scratch folder, the engine's argv template, and where its pids land.
    struct Setup {
        let directory: URL
        var enginePID: pid_t? { pid("engine.pid") }
        var childPID: pid_t? { pid("child.pid") }

        init() throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent(
                "sweepline-launch-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        }

        var engine: LaunchedEngine {
            let script =
                "echo $$ > \(directory.path)/engine.pid; sleep 300 & echo $! > \(directory.path)/child.pid; "
                + "exec \(ManagedProcess.binary) sim-engine --hardware H200-SXM --model Llama-3.3-70B-Instruct --tp 8 "
                + "--max-model-len 4096 --port {port} --log-level warning"
            return LaunchedEngine(
                argv: ["sh", "-c", script], model: "Llama-3.3-70B-Instruct", readinessTimeoutSeconds: 60,
                stopGraceSeconds: 2)
        }

        func pid(_ name: String) -> pid_t? {
            (try? String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8))
                .flatMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }

        func job(requests: Int) -> AssignedJob {
            let plan = PointPlan(
                load: .closedLoop(concurrency: 2),
                dataset: RandomDataset(inputLength: 64, outputLength: 60, rangeRatio: 1), requests: requests,
                warmups: 0)
            return AssignedJob(
                jobID: "j-000009", attempt: 1,
                spec: JobSpec(
                    name: "launch", kind: .benchmark, gpus: 1,
                    benchmark: BenchmarkWorkload(engine: .launch(engine), points: [plan])),
                gpus: [0], vendor: .nvidia, baseEnvironment: ProcessInfo.processInfo.environment)
        }
    }

    /// Alive and not a zombie waiting for a parent that is gone.
    static func isAlive(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return false }
        guard let close = stat.lastIndex(of: ")") else { return false }
        return stat[stat.index(close, offsetBy: 2)] != "Z"
    }

    @Test func anEngineKilledMidPoint_leavesThePointInvalid_andKeepsWhatWasMeasured() async throws {
        let setup = try Setup()
        let output = JobOutput()
        let running = Task {
            await BenchmarkJobRunner().run(setup.job(requests: 400), output: output, cancel: CancelSignal())
        }
        try await eventually("two requests measured", timeout: .seconds(60)) {
            output.records.produced >= 2 ? true : nil
        }
        let enginePID = try #require(setup.enginePID)
        let childPID = try #require(setup.childPID)
        kill(enginePID, SIGKILL)
        let (outcome, detail) = await running.value
        #expect(outcome == .failed)
        #expect(detail.contains("the engine failed during point 0: the engine process ended (killed by signal 9)"))
        let records = try output.records.take(maxItems: 100_000, maxBytes: 1 << 30).items.map {
            try JSONDecoder().decode(BenchmarkRecord.self, from: Data($0.utf8))
        }
        let measured = records.compactMap {
            if case .request(_, let record) = $0, record.succeeded { record } else { nil }
        }
        #expect(measured.count >= 2, "what was measured before the engine died is kept")
        guard case .point(let report)? = records.last else {
            Issue.record("the point's report comes last")
            return
        }
        #expect(!report.isValid)
        #expect(
            report.invalidReasons.contains {
                $0 == "engine failed during the point: the engine process ended (killed by signal 9)"
            }, "\(report.invalidReasons)")
        try await eventually("the engine's child is gone with its group", timeout: .seconds(10)) {
            Self.isAlive(childPID) ? nil : true
        }
    }

    @Test func cancellingMidPoint_endsTheEnginesWholeProcessGroup() async throws {
        let setup = try Setup()
        let output = JobOutput()
        let cancel = CancelSignal()
        let running = Task { await BenchmarkJobRunner().run(setup.job(requests: 400), output: output, cancel: cancel) }
        try await eventually("a request measured", timeout: .seconds(60)) {
            output.records.produced >= 1 ? true : nil
        }
        let enginePID = try #require(setup.enginePID)
        let childPID = try #require(setup.childPID)
        let cancelledAt = ContinuousClock.now
        cancel.cancel(graceSeconds: 2)
        let (outcome, detail) = await running.value
        #expect(outcome == .canceled, "\(detail)")
        #expect(ContinuousClock.now - cancelledAt < .seconds(15))
        #expect(!Self.isAlive(enginePID))
        try await eventually("the engine's child is gone with its group", timeout: .seconds(10)) {
            Self.isAlive(childPID) ? nil : true
        }
    }
}
