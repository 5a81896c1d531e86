import Foundation
import Logging
import Results
import Synchronization
import Testing

@testable import Coordinator

/// Scheduled sweeps through a real engine and SQLite store, on a clock the test turns.
@Suite struct ScheduleTests {
    /// 2026-11-30 00:30 UTC, 01:30 in Berlin (CET, UTC+1).
    static let start = Date(timeIntervalSince1970: 1_795_998_600)

    final class TestClock: Sendable {
        private let wall = Mutex(ScheduleTests.start)
        func set(_ date: Date) { wall.withLock { $0 = date } }
        @Sendable func now() -> SchedulerTime {
            let date = wall.withLock { $0 }
            return SchedulerTime(monotonic: date.timeIntervalSince1970, wall: date)
        }
    }

    static let nightly = SweepSpec(
        name: "nightly",
        entries: [
            SweepEntry(
                model: "Llama-3.3-70B-Instruct", engine: SweepEngine(kind: .sim, virtual: true), precision: .fp8,
                hardware: HardwareSelector(gpu: "H200-SXM"), scenarios: [Scenario(isl: 1024, osl: 1024)],
                search: SearchSpace(tp: [1, 2], concurrency: [4, 8]))
        ],
        schedule: SweepSchedule(cron: "0 2 * * *", timeZone: "Europe/Berlin"))

    /// An engine on the store at `path` with its writer running, as a coordinator process has.
    struct Coordinator {
        let engine: CoordinatorEngine
        let writer: Task<Void, any Error>

        init(path: String, clock: TestClock) async throws {
            let store = try SQLiteStore(path: path)
            let logger = Logger(label: "schedule-test")
            engine = try await CoordinatorEngine(
                store: store, configuration: .init(), clock: clock.now, logger: logger)
            writer = Task { [engine] in try await StateWriter(engine: engine, store: store, logger: logger).run() }
        }

        func stop() async {
            writer.cancel()
            _ = await writer.result
        }

        func sweepJobs() async -> [String: Int] {
            await engine.snapshot().jobs.reduce(into: [:]) { counts, job in
                if let sweep = job.spec.sweep?.sweepID { counts[sweep, default: 0] += 1 }
            }
        }
    }

    static func utc(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    @Test func aScheduleFiresAtItsTime_exactlyOnce_acrossARestart_andCatchesUpOnceAfterDowntime() async throws {
        let path = SQLiteStoreConformanceTests.temporaryPath()
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let clock = TestClock()

        let first = try await Coordinator(path: path, clock: clock)
        let added = try await first.engine.addSchedule(Self.nightly)
        #expect(added.nextRunAt == Self.utc("2026-11-30T01:00:00Z"), "02:00 in Berlin is 01:00 UTC in winter")
        #expect(added.jobs == 2 && added.points == 4)
        #expect(try await first.engine.startDueSchedules().isEmpty, "01:30 Berlin: not yet")

        clock.set(Self.utc("2026-11-30T01:00:20Z"))
        #expect(try await first.engine.startDueSchedules() == ["sw-20261130-0100-nightly"])
        #expect(try await first.engine.startDueSchedules().isEmpty, "the same occurrence does not start twice")
        #expect(await first.sweepJobs() == ["sw-20261130-0100-nightly": 2])
        await first.stop()

        // The coordinator restarts a minute later on the same store: nothing starts again.
        clock.set(Self.utc("2026-11-30T01:01:00Z"))
        let second = try await Coordinator(path: path, clock: clock)
        #expect(try await second.engine.startDueSchedules().isEmpty)
        #expect(await second.sweepJobs() == ["sw-20261130-0100-nightly": 2])
        let listed = try #require(await second.engine.scheduleSummaries().first)
        #expect(listed.lastSweepID == "sw-20261130-0100-nightly")
        #expect(listed.lastRunAt == Self.utc("2026-11-30T01:00:00Z"))
        #expect(listed.nextRunAt == Self.utc("2026-12-01T01:00:00Z"))
        await second.stop()

        // Down for two nights: on its return it starts one run, of the latest missed occurrence.
        clock.set(Self.utc("2026-12-03T07:00:00Z"))
        let third = try await Coordinator(path: path, clock: clock)
        #expect(try await third.engine.startDueSchedules() == ["sw-20261203-0100-nightly"])
        #expect(try await third.engine.startDueSchedules().isEmpty)
        #expect(await third.sweepJobs() == ["sw-20261130-0100-nightly": 2, "sw-20261203-0100-nightly": 2])

        // Replacing the schedule (a new cron) never starts an occurrence already past.
        var hourly = Self.nightly
        hourly.schedule = SweepSchedule(cron: "30 * * * *")
        let replaced = try await third.engine.addSchedule(hourly)
        #expect(replaced.nextRunAt == Self.utc("2026-12-03T07:30:00Z"))
        #expect(replaced.lastSweepID == "sw-20261203-0100-nightly")
        #expect(try await third.engine.removeSchedule("nightly"))
        clock.set(Self.utc("2026-12-03T08:00:00Z"))
        #expect(try await third.engine.startDueSchedules().isEmpty, "a removed schedule never fires")
        await third.stop()
    }
}
