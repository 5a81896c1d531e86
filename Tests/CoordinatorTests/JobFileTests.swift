import Shared
import Testing

@testable import Coordinator

@Suite struct JobFileTests {
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
            "- name: a\n  kind: benchmark\n  command: {argv: [x]}",
            "jobs.yaml:2:9: jobs[0].kind: unknown job kind `benchmark`; known: command"
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
