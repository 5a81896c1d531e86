import Foundation
import Testing

@testable import Coordinator

@Suite struct SweepFileTests {
    static let example = """
        sweep:
          name: nightly
          repeats: 2
          workload: {rangeRatio: 0.8, promptsPerConcurrency: 10, warmupsPerConcurrency: 2, seed: 7}
          entries:
            - model: Llama-3.3-70B-Instruct
              engine: {kind: vllm, args: [--kv-cache-dtype, fp8]}
              precision: fp8
              hardware: {gpu: H200-SXM, labels: {rack: r1}}
              scenarios: [{isl: 1024, osl: 1024}, {isl: 8192, osl: 1024}]
              search:
                tp: [1, 2, 4, 8]
                concurrency: {start: 4, end: 256}
            - model: gpt-oss-120b
              engine: {kind: sim, timeScale: 50}
              precision: fp4
              hardware: B200-HGX
              scenarios: [{isl: 1024, osl: 8192}]
              search: {tp: [1, 2], ep: [1, 2], dpAttention: [false, true], concurrency: [4, 64]}
        """

    @Test func parsesASweep_andExpandsItIntoOneJobPerDeployment() throws {
        let spec = try SweepFile.parse(Self.example, file: "sweep.yaml")
        #expect(spec.name == "nightly")
        #expect(spec.entries[0].search.concurrency == [4, 8, 16, 32, 64, 128, 256], "doubling from start to end")
        #expect(spec.entries[1].hardware == HardwareSelector(gpu: "B200-HGX"))
        let jobs = SweepExpansion.jobs(spec, sweepID: "sw-1")
        // Llama: 4 tp × 2 repeats; gpt-oss: 2 tp × 2 ep × 2 dp-attention × 2 repeats.
        #expect(jobs.count == 8 + 16)
        let llama = jobs[0]
        #expect(llama.kind == .benchmark)
        #expect(llama.gpus == 1)
        #expect(llama.gpuModel == "H200")
        #expect(llama.labels == ["rack": "r1"])
        #expect(llama.benchmark?.points.count == 2 * 7, "scenarios × concurrencies, in order")
        #expect(llama.benchmark?.points.first?.requests == 40)
        #expect(llama.benchmark?.points.first?.warmups == 8)
        #expect(llama.benchmark?.points.first?.dataset.seed == 7)
        guard case .launch(let engine)? = llama.benchmark?.engine else {
            Issue.record("a vllm entry launches vllm")
            return
        }
        #expect(
            engine.argv
                == [
                    "vllm", "serve", "{model}", "--host", "{host}", "--port", "{port}", "--tensor-parallel-size", "1",
                    "--no-enable-prefix-caching", "--kv-cache-dtype", "fp8",
                ])
        #expect(engine.model == "Llama-3.3-70B-Instruct")
        let keys = jobs.flatMap { $0.sweep?.points.map(\.key) ?? [] }
        #expect(
            keys.first == "Llama-3.3-70B-Instruct/vllm/fp8/H200-SXM/tp1/1024x1024/c4",
            "a point's key reads as what it is")
        // Each point appears once per repeat, and a second expansion gives the same keys.
        let perRepeat = Dictionary(grouping: jobs.flatMap { $0.sweep?.points ?? [] }, by: \.repeatIndex)
        #expect(perRepeat[0]?.count == perRepeat[1]?.count)
        #expect(Set(perRepeat[0]!.map(\.key)).count == perRepeat[0]!.count)
        #expect(SweepExpansion.jobs(spec, sweepID: "sw-2").flatMap { $0.sweep?.points.map(\.key) ?? [] } == keys)
        guard case .sim(let simulated)? = jobs.last?.benchmark?.engine else {
            Issue.record("a sim entry runs the simulated engine")
            return
        }
        #expect(simulated.tp == 2 && simulated.ep == 2 && simulated.dpAttention && simulated.timeScale == 50)
    }

    @Test func aSweepThatAliasesExpandToBillionsOfPoints_isRefusedBeforeExpanding_namingTheCap() {
        // About a kilobyte: one list of 64 values, aliased into every dimension, 100 repeats.
        let values = (1...64).map(String.init).joined(separator: ", ")
        let text = """
            sweep:
              name: amplified
              repeats: 100
              entries:
                - &entry
                  model: gpt-oss-120b
                  engine: {kind: sim}
                  precision: fp4
                  hardware: H200-SXM
                  scenarios: [{isl: 1, osl: 1}, {isl: 2, osl: 2}, {isl: 3, osl: 3}, {isl: 4, osl: 4}]
                  search: {tp: &v [\(values)], ep: *v, concurrency: *v}
                - *entry
                - *entry
                - *entry
            """
        #expect(text.utf8.count < 1_500)
        let start = ContinuousClock.now
        #expect {
            try SweepFile.parse(text, file: "amplified.yaml")
        } throws: { error in
            let message = "\(error)"
            return message.contains("1638400 jobs and 419430400 points")
                && message.contains("at most 10000 jobs and 100000 points") && message.contains("amplified.yaml")
        }
        #expect(ContinuousClock.now - start < .seconds(5), "refused by counting, not by expanding")
    }

    @Test func aSweepFile_isToldApartFromAJobFile() {
        #expect(SweepFile.looksLikeSweep(Self.example))
        #expect(!SweepFile.looksLikeSweep("jobs:\n  - name: a\n    command: {argv: [x]}"))
    }

    static func entry(_ body: String) -> String {
        "sweep:\n  name: s\n  entries:\n    - " + body
    }

    static func scheduled(_ schedule: String) -> String {
        "sweep:\n  name: s\n  schedule: \(schedule)\n  entries:\n    - " + good
    }

    @Test func aSchedule_isReadWithItsTimeZone_orUTC() throws {
        let berlin = try SweepFile.parse(
            Self.scheduled("{cron: \"0 2 * * *\", timeZone: Europe/Berlin}"), file: "sweep.yaml")
        #expect(berlin.schedule == SweepSchedule(cron: "0 2 * * *", timeZone: "Europe/Berlin"))
        let short = try SweepFile.parse(Self.scheduled("\"@daily\""), file: "sweep.yaml")
        #expect(short.schedule == SweepSchedule(cron: "@daily", timeZone: "UTC"))
        #expect(try SweepFile.parse(Self.entry(Self.good), file: "sweep.yaml").schedule == nil)
    }

    static let good =
        "model: m\n      engine: {kind: sim}\n      hardware: H200-SXM\n      scenarios: [{isl: 8, osl: 8}]\n      search: {concurrency: [1]}"

    @Test(arguments: [
        ("", "sweep.yaml: the file is empty"),
        ("sweeps: {}", "sweep.yaml:1:1: the sweep file: unknown field `sweeps`; did you mean `sweep`?"),
        ("sweep: {entries: []}", "sweep.yaml:1:8: sweep: needs a `name`"),
        ("sweep: {name: s, entries: []}", "sweep.yaml:1:27: sweep.entries: expected a non-empty list"),
        (
            entry(good.replacingOccurrences(of: "kind: sim", with: "kind: vlm")),
            "sweep.yaml:5:22: sweep.entries[0].engine.kind: unknown engine `vlm`; known: vllm, sglang, trtllm, llamacpp, sim, endpoint; did you mean `vllm`?"
        ),
        (
            entry(good.replacingOccurrences(of: "{concurrency: [1]}", with: "{concurency: [1]}")),
            "sweep.yaml:8:16: sweep.entries[0].search: unknown field `concurency`; did you mean `concurrency`?"
        ),
        (
            entry(good.replacingOccurrences(of: "{concurrency: [1]}", with: "{concurrency: {start: 64, end: 4}}")),
            "sweep.yaml:8:29: sweep.entries[0].search.concurrency: needs `start` ≤ `end`"
        ),
        (
            entry(good.replacingOccurrences(of: "{isl: 8, osl: 8}", with: "{isl: 8}")),
            "sweep.yaml:7:19: sweep.entries[0].scenarios[0]: needs `isl` and `osl`"
        ),
        (
            entry(good.replacingOccurrences(of: "kind: sim", with: "kind: vllm, timeScale: 10")),
            "sweep.yaml:5:15: sweep.entries[0].engine: `timeScale`, `virtual`, `streamInterval` and `slowdown` are for the `sim` engine only"
        ),
        (
            entry(good.replacingOccurrences(of: "kind: sim", with: "kind: endpoint")),
            "sweep.yaml:5:15: sweep.entries[0].engine: an `endpoint` engine needs `baseURL`"
        ),
        (
            entry(good + "\n      precision: fp6"),
            "sweep.yaml:9:18: sweep.entries[0].precision: `fp6` is not one of bf16, fp8, fp4"
        ),
        (
            entry(good.replacingOccurrences(of: "{concurrency: [1]}", with: "{tp: [two], concurrency: [1]}")),
            "sweep.yaml:8:21: sweep.entries[0].search.tp: expected integers in 1…1024, got `two`"
        ),
        (
            scheduled("{cron: \"0 25 * * *\"}"),
            "sweep.yaml:3:13: sweep.schedule: cron `0 25 * * *`: hour `25`: 25 is out of 0–23"
        ),
        (
            scheduled("{cron: \"0 2 * * *\", timeZone: Europe/Berln}"),
            "sweep.yaml:3:13: sweep.schedule: cron `0 2 * * *`: time zone `Europe/Berln` is not an IANA name; did you mean `Europe/Berlin`?"
        ),
        (
            scheduled("\"0 0 31 2 *\""),
            "sweep.yaml:3:13: sweep.schedule: cron `0 0 31 2 *`: never fires (no such day in any year)"
        ),
        (
            scheduled("{cron: \"0 2 * * *\", timezone: UTC}"),
            "sweep.yaml:3:33: sweep.schedule: unknown field `timezone`; did you mean `timeZone`?"
        ),
        (
            entry(good + "\n      modle: x"),
            "sweep.yaml:9:7: sweep.entries[0]: unknown field `modle`; did you mean `model`?"
        ),
    ])
    func malformedSweepFiles_areRejectedWithWhereAndWhy(text: String, expected: String) {
        #expect {
            try SweepFile.parse(text, file: "sweep.yaml")
        } throws: { error in
            "\(error)".hasPrefix(expected)
        }
    }
}
