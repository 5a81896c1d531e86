import Foundation
import Testing
import Wire

@testable import Coordinator

@Suite struct JobFileTests {
    @Test func aJobFileThatAliasesMultiplyIntoFiftyThousandJobs_isRefused_namingTheCap() {
        let text = """
            jobs:
              - &j {name: x, gpus: 1, count: 10000, command: {argv: ["true"]}}
              - *j
              - *j
              - *j
              - *j
            """
        #expect(text.utf8.count < 120)
        #expect {
            try JobFile.parse(text, file: "amplified.yaml")
        } throws: { error in
            "\(error)".contains("more than 10000 jobs") && "\(error)".contains("amplified.yaml")
        }
    }

    @Test func parsesAFullJob_andExpandsCount() throws {
        let specs = try JobFile.parse(
            """
            jobs:
              - name: tp4
                gpus: 4
                gpuModel: H200
                labels: {rack: r12}
                priority: 5
                count: 3
                retries: {workloadFailures: 1, agentLosses: 2, drains: 9}
                command:
                  argv: [python3, -c, "print('hi')"]
                  env: {FOO: bar}
                  cancelGraceSeconds: 2.5
                  timeoutSeconds: 600
            """, file: "jobs.yaml")
        #expect(specs.map(\.name) == ["tp4-1", "tp4-2", "tp4-3"])
        let spec = specs[0]
        #expect(spec.gpus == 4)
        #expect(spec.gpuModel == "H200")
        #expect(spec.labels == ["rack": "r12"])
        #expect(spec.priority == 5)
        #expect(spec.retries == RetryBudgets(workloadFailures: 1, agentLosses: 2, drains: 9))
        #expect(
            spec.command
                == CommandWorkload(
                    argv: ["python3", "-c", "print('hi')"], environment: ["FOO": "bar"], cancelGraceSeconds: 2.5,
                    timeoutSeconds: 600))
    }

    @Test func acceptsJSON_andATopLevelList() throws {
        let specs = try JobFile.parse(#"[{"name": "a", "command": {"argv": ["true"]}}]"#, file: "jobs.json")
        #expect(specs == [JobSpec(name: "a", command: CommandWorkload(argv: ["true"]))])
    }

    @Test func parsesABenchmarkJob_intoItsPoints() throws {
        let specs = try JobFile.parse(
            """
            jobs:
              - name: llama-sweep
                kind: benchmark
                gpus: 8
                benchmark:
                  engine:
                    launch:
                      argv: [vllm, serve, meta-llama/Llama-3.3-70B-Instruct, --port, "{port}", -tp, "{gpus}"]
                      model: meta-llama/Llama-3.3-70B-Instruct
                      env: {VLLM_USE_V1: "1"}
                      readinessTimeoutSeconds: 900
                  api: chat
                  isl: 1024
                  osl: 256
                  rangeRatio: 1
                  concurrency: [4, 64]
                  requestsPerConcurrency: 5
                  warmupsPerConcurrency: 1
                  requestTimeoutSeconds: 120
            """, file: "jobs.yaml")
        let benchmark = try #require(specs.first?.benchmark)
        #expect(specs.first?.kind == .benchmark)
        #expect(benchmark.api == .chat)
        #expect(
            benchmark.engine
                == .launch(
                    LaunchedEngine(
                        argv: [
                            "vllm", "serve", "meta-llama/Llama-3.3-70B-Instruct", "--port", "{port}", "-tp", "{gpus}",
                        ],
                        environment: ["VLLM_USE_V1": "1"], model: "meta-llama/Llama-3.3-70B-Instruct",
                        readinessTimeoutSeconds: 900)))
        let dataset = RandomDataset(inputLength: 1024, outputLength: 256, rangeRatio: 1)
        #expect(
            benchmark.points == [
                PointPlan(
                    load: .closedLoop(concurrency: 4), dataset: dataset, requests: 20, warmups: 4,
                    requestTimeoutSeconds: 120),
                PointPlan(
                    load: .closedLoop(concurrency: 64), dataset: dataset, requests: 320, warmups: 64,
                    requestTimeoutSeconds: 120),
            ])
        // The spec travels to the agent as JSON and must come back the same.
        let spec = try #require(specs.first)
        #expect(try JSONDecoder().decode(JobSpec.self, from: JSONEncoder().encode(spec)) == spec)
    }

    @Test func parsesAnOpenLoopBenchmark_onTheSimulatedEngine() throws {
        let specs = try JobFile.parse(
            """
            - kind: benchmark
              benchmark:
                engine: {sim: {hardware: B200-HGX, model: gpt-oss-120b, precision: fp4, timeScale: 100, streamInterval: 10}}
                requestRate: [2, 8]
                burstiness: 0.5
                maxConcurrency: 32
                numPrompts: 50
                durationSeconds: 30
            """, file: "jobs.yaml")
        let benchmark = try #require(specs.first?.benchmark)
        #expect(
            benchmark.engine
                == .sim(
                    SimulatedEngine(
                        hardware: "B200-HGX", model: "gpt-oss-120b", precision: .fp4, streamInterval: 10, timeScale: 100
                    )))
        #expect(
            benchmark.points.map(\.load) == [
                .openLoop(rate: 2, burstiness: 0.5, maxConcurrency: 32),
                .openLoop(rate: 8, burstiness: 0.5, maxConcurrency: 32),
            ])
        #expect(benchmark.points.allSatisfy { $0.requests == 50 && $0.durationSeconds == 30 })
    }

    @Test(arguments: [
        ("", "jobs.yaml: the file is empty"),
        ("jobs: [", "jobs.yaml: not valid YAML or JSON"),
        ("jobs: []", "jobs.yaml:1:7: expected a non-empty list of jobs"),
        ("jobz: []", "jobs.yaml:1:1: the job file: unknown field `jobz`; did you mean `jobs`?"),
        (
            "- name: a\n  gpu: 2\n  command: {argv: [x]}",
            "jobs.yaml:2:3: jobs[0]: unknown field `gpu`; did you mean `gpus`?"
        ),
        (
            "- name: a\n  gpus: four\n  command: {argv: [x]}",
            "jobs.yaml:2:9: jobs[0].gpus: expected an integer, got `four`"
        ),
        ("- name: a\n  gpus: -1\n  command: {argv: [x]}", "jobs.yaml:2:9: jobs[0].gpus: -1 is out of range 0…1024"),
        ("- name: a", "jobs.yaml:1:3: jobs[0]: a `command` job needs `command: {argv: [...]}`"),
        (
            "- name: a\n  command: {argv: []}",
            "jobs.yaml:2:19: jobs[0].command.argv: expected a non-empty list of strings"
        ),
        ("- name: a\n  command: {argv: [x], shell: true}", "jobs.yaml:2:24: jobs[0].command: unknown field `shell`"),
        (
            "- name: a\n  kind: benchmarks\n  command: {argv: [x]}",
            "jobs.yaml:2:9: jobs[0].kind: unknown job kind `benchmarks`; known: command, benchmark"
        ),
        ("- name: a\n  kind: benchmark", "jobs.yaml:1:3: jobs[0]: a `benchmark` job needs `benchmark: {engine: ..."),
        (
            "- name: a\n  command: {argv: [x]}\n  benchmark: {concurrency: [4]}",
            "jobs.yaml:3:14: jobs[0]: `benchmark` is for `kind: benchmark` jobs; this one is `command`"
        ),
        (
            "- kind: benchmark\n  benchmark: {concurrency: [4]}",
            "jobs.yaml:2:14: jobs[0].benchmark: needs `engine:` with one of endpoint, launch or sim"
        ),
        (
            "- kind: benchmark\n  benchmark: {engine: {launch: {argvs: [x], model: m}}, concurrency: [4]}",
            "jobs.yaml:2:33: jobs[0].benchmark.engine.launch: unknown field `argvs`; did you mean `argv`?"
        ),
        (
            "- kind: benchmark\n  benchmark: {engine: {sim: {hardware: h, model: m}, launch: {argv: [x], model: m}}, concurrency: [4]}",
            "jobs.yaml:2:23: jobs[0].benchmark.engine: expected exactly one of `endpoint:`, `launch:` or `sim:`"
        ),
        (
            "- kind: benchmark\n  benchmark: {engine: {sim: {hardware: h, model: m}}, concurrency: [4, zero]}",
            "jobs.yaml:2:72: jobs[0].benchmark.concurrency: expected integers in 1…1000000, got `zero`"
        ),
        (
            "- kind: benchmark\n  benchmark: {engine: {sim: {hardware: h, model: m}}, concurrency: 4, requestRate: 2}",
            "jobs.yaml:2:84: jobs[0].benchmark: give `concurrency` (closed loop) or `requestRate` (open loop), not both"
        ),
        (
            "- kind: benchmark\n  benchmark: {engine: {sim: {hardware: h, model: m}}, concurrency: 4, burstiness: 2}",
            "jobs.yaml:2:83: jobs[0].benchmark.burstiness: only for an open loop (`requestRate`)"
        ),
        (
            "- kind: benchmark\n  benchmark: {engine: {sim: {hardware: h, model: m}}}",
            "jobs.yaml:2:14: jobs[0].benchmark: needs `concurrency: [...]` (closed loop) or `requestRate: [...]`"
        ),
        (
            "- kind: benchmark\n  benchmark: {engine: {endpoint: {baseURL: x}}, concurrency: 4}",
            "jobs.yaml:2:34: jobs[0].benchmark.engine.endpoint: needs `baseURL` and `model`"
        ),
        (
            "- name: a\n  exclusive: maybe\n  command: {argv: [x]}",
            "jobs.yaml:2:14: jobs[0].exclusive: expected true or false, got `maybe`"
        ),
        (
            "- name: a\n  labels: [a, b]\n  command: {argv: [x]}",
            "jobs.yaml:2:11: jobs[0].labels: expected a mapping of names to strings"
        ),
        ("- 42", "jobs.yaml:1:3: jobs[0]: expected a mapping of job fields"),
        ("- name: a\n  count: 0\n  command: {argv: [x]}", "jobs.yaml:2:10: jobs[0].count: 0 is out of range 1…10000"),
        (
            "- name: a\n  retries: {workloadFailure: 1}\n  command: {argv: [x]}",
            "jobs.yaml:2:13: jobs[0].retries: unknown field `workloadFailure`; did you mean `workloadFailures`?"
        ),
    ])
    func malformedFile_isRejectedWithWhereAndWhy(text: String, expected: String) {
        #expect {
            try JobFile.parse(text, file: "jobs.yaml")
        } throws: { error in
            "\(error)".hasPrefix(expected)
        }
    }
}
