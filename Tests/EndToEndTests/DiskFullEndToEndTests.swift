import Coordinator
import Foundation
import SweeplineCLI
import Testing
import Wire

#if canImport(Glibc)
import Glibc
#endif

/// The coordinator's disk fills up for real (a 4 MiB tmpfs) while an agent streams records:
/// operators get a 503 with a JSON reason, reads keep working, and once space returns the
/// coordinator resumes and every record the agent produced is stored exactly once.
@Suite(.serialized) struct DiskFullEndToEndTests {
    static let canMount: Bool = {
        guard getuid() == 0 else { return false }
        let probe = FileManager.default.temporaryDirectory.appendingPathComponent("mount-probe-\(getpid())").path
        try? FileManager.default.createDirectory(atPath: probe, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: probe) }
        guard mount("tmpfs", probe, "tmpfs", 0, "size=64k") == 0 else { return false }
        umount(probe)
        return true
    }()

    @Test(.enabled(if: canMount, "needs root and permission to mount a tmpfs"))
    func aFullDisk_gives503sAndKeepsReads_thenResumes_losingNothing() async throws {
        try await Fleet.run { fleet in
            let small = fleet.path("small-disk")
            try FileManager.default.createDirectory(atPath: small, withIntermediateDirectories: true)
            guard mount("tmpfs", small, "tmpfs", 0, "size=4m") == 0 else { throw FloodTestError("mount failed") }
            defer { umount2(small, Int32(MNT_DETACH)) }
            try await fleet.startCoordinator(leaseSeconds: 30, storePath: small + "/sweepline.db")
            try await fleet.startAgent("streamer", gpus: 1)
            try await fleet.waitForAgents(1)
            let ids = try await fleet.submit(fleet.exampleJobs("stream", count: 1, records: 600, intervalMs: 10))
            _ = try await eventually("records to flow") {
                (try await fleet.job(ids[0]).records.first?.records ?? 0) > 20 ? true : nil
            }

            // Fill what is left of the disk.
            let filler = small + "/filler"
            FileManager.default.createFile(atPath: filler, contents: nil)
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: filler))
            let block = Data(count: 64 << 10)
            while (try? handle.write(contentsOf: block)) != nil {}
            try? handle.close()
            let reason = try await eventually("the coordinator to notice its full disk") {
                let status: StatusResponse = try await fleet.client.get("/v1/status")
                return status.failure?.contains("cannot be written now") == true ? status.failure : nil
            }
            #expect(reason.contains("full"), "\(reason)")
            await #expect {
                try await fleet.submit(fleet.exampleJobs("refused", count: 1, records: 1, intervalMs: 1))
            } throws: { error in
                guard let error = error as? APIError else { return false }
                return error.status == 503 && error.message.contains("nothing new is accepted until it can")
            }
            // Reads still work.
            #expect(try await fleet.job(ids[0]).job.id == ids[0])

            try FileManager.default.removeItem(atPath: filler)
            _ = try await eventually("writing to resume", timeout: .seconds(30)) {
                let status: StatusResponse = try await fleet.client.get("/v1/status")
                return status.failure == nil ? true : nil
            }
            let jobs = try await fleet.waitUntilSettled(timeout: .seconds(120))
            #expect(jobs.first?.job.state == .succeeded, "\(jobs.map { "\($0.job.state) \($0.job.detail)" })")
            let job = try await fleet.job(ids[0]).job
            let requests = try await fleet.records(ids[0], attempt: job.attempt).compactMap {
                $0["request"]?.doubleValue
            }
            #expect(requests.map(Int.init) == Array(1...600))
            #expect(fleet.coordinator!.isRunning)
        }
    }
}
