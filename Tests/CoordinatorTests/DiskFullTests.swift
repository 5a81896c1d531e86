import Foundation
import GRDB
import Logging
import Testing
import Wire

@testable import Coordinator

/// A full disk: the write that does not fit is held, new changes are refused with a clear
/// error, reads go on, nothing acknowledged is lost, and writing resumes once there is room.
/// SQLite's page limit stands in for the disk (it fails the same way, with SQLITE_FULL).
@Suite struct DiskFullTests {
    static func job(_ name: String) -> JobSpec {
        // Bulky, so a few of them need pages the "disk" does not have.
        JobSpec(
            name: name, gpus: 1,
            command: CommandWorkload(argv: ["true"] + Array(repeating: String(repeating: "x", count: 4000), count: 4)))
    }

    @Test func diskFull_refusesChangesClearly_servesReads_losesNothing_andResumes() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("full-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteStore(path: directory.appendingPathComponent("sweepline.db").path)
        let logger = Logger(label: "test")
        let engine = try await CoordinatorEngine(store: store, configuration: .init(), logger: logger)
        let writer = Task { try await StateWriter(engine: engine, store: store, logger: logger).run() }
        defer { writer.cancel() }

        let acknowledged = try await engine.submit([Self.job("before")])
        try await store.pool.write { db in
            let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 1
            try db.execute(sql: "PRAGMA max_page_count = \(pages)")
        }
        // This one does not fit: it waits, held, while the coordinator says why it refuses others.
        let held = Task { try await engine.submit((0..<20).map { Self.job("held-\($0)") }) }
        try await waitUntil { await engine.unwritable != nil }
        await #expect {
            try await engine.submit([Self.job("refused")])
        } throws: { error in
            "\(error)".hasPrefix("the coordinator's store cannot be written now (")
                && "\(error)".contains("database or disk is full")
        }
        #expect(await engine.snapshot().failure?.hasPrefix("the store cannot be written now") == true)
        // Reads: the engine's memory and the store both answer.
        #expect(try await store.job(acknowledged[0])?.spec.name == "before")
        #expect(await engine.job(acknowledged[0]) != nil)

        // Room again: the held write commits, its caller is answered, changes are accepted.
        try await store.pool.write { db in try db.execute(sql: "PRAGMA max_page_count = 1073741823") }
        let heldIDs = try await held.value
        #expect(heldIDs.count == 20)
        #expect(await engine.unwritable == nil)
        _ = try await engine.submit([Self.job("after")])
        let stored = try await store.jobs(state: nil, limit: 100).map(\.spec.name)
        #expect(stored.first == "before")
        #expect(stored.count == 22)
        #expect(stored.last == "after")
    }

    private func waitUntil(_ condition: () async -> Bool) async throws {
        for _ in 0..<500 {
            if await condition() { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("never happened")
    }
}
