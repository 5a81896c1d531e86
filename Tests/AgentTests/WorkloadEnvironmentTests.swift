import Testing

@testable import Agent

@Suite struct WorkloadEnvironmentTests {
    @Test func onlyTheBasics_andWhatTheOperatorNames_pass_neverASweeplineVariable() {
        let agent = [
            "PATH": "/usr/bin", "HOME": "/home/a", "SWEEPLINE_AGENT_TOKEN": "s3cret", "SWEEPLINE_URL": "http://x",
            "AWS_SECRET_ACCESS_KEY": "k", "HF_HOME": "/data/hf",
        ]
        #expect(WorkloadEnvironment.inherited(from: agent) == ["PATH": "/usr/bin", "HOME": "/home/a"])
        #expect(
            WorkloadEnvironment.inherited(from: agent, passing: ["HF_HOME", "SWEEPLINE_AGENT_TOKEN"]) == [
                "PATH": "/usr/bin", "HOME": "/home/a", "HF_HOME": "/data/hf",
            ])
    }
}
