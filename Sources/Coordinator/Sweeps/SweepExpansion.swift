import Results
import Wire

/// Turns a sweep into jobs: one job per engine deployment (entry × tp × ep × dp-attention ×
/// repeat), its points (scenario × concurrency) in order. Pure: the same spec gives the same jobs.
public enum SweepExpansion {
    /// How many jobs and points `jobs(_:sweepID:)` would give, without making them; saturates
    /// instead of overflowing, so an absurd sweep is measured rather than built.
    public static func size(of spec: SweepSpec) -> (jobs: Int, points: Int) {
        var jobs = 0
        var points = 0
        for entry in spec.entries {
            let deployments = entry.search.tp.reduce(0) { $0 + expertParallelisms(entry, tp: $1).count }
            let entryJobs = saturating(deployments, entry.search.dpAttention.count, max(1, spec.repeats))
            jobs = saturating(sum: jobs, entryJobs)
            points = saturating(
                sum: points, saturating(entryJobs, entry.scenarios.count, entry.search.concurrency.count))
        }
        return (jobs, points)
    }

    /// The entry's ep values that go with `tp`: no more than tp, except on the simulated engine,
    /// where every pair is expanded. One place, so counting and expanding agree.
    static func expertParallelisms(_ entry: SweepEntry, tp: Int) -> [Int] {
        entry.search.ep.filter { $0 <= tp || entry.engine.kind == .sim }
    }

    private static func saturating(_ factors: Int...) -> Int {
        factors.reduce(1) { product, factor in
            let (result, overflow) = product.multipliedReportingOverflow(by: factor)
            return overflow ? .max : result
        }
    }

    private static func saturating(sum a: Int, _ b: Int) -> Int {
        let (result, overflow) = a.addingReportingOverflow(b)
        return overflow ? .max : result
    }

    public static func jobs(_ spec: SweepSpec, sweepID: String) -> [JobSpec] {
        var jobs: [JobSpec] = []
        for entry in spec.entries {
            for tp in entry.search.tp {
                for ep in expertParallelisms(entry, tp: tp) {
                    for dpAttention in entry.search.dpAttention {
                        let deployment = DeploymentKey(
                            model: entry.model, engine: entry.engine.kind.rawValue,
                            precision: entry.precision.rawValue, hardware: entry.hardware.gpu,
                            gpus: entry.engine.kind == .endpoint ? 0 : tp, tp: tp, ep: ep, dpAttention: dpAttention)
                        for repeatIndex in 0..<max(1, spec.repeats) {
                            jobs.append(
                                job(spec, entry, deployment, repeatIndex: repeatIndex, sweepID: sweepID))
                        }
                    }
                }
            }
        }
        return jobs
    }

    /// A point's identity: what is deployed, the scenario and the load. Readable on purpose.
    public static func pointKey(_ deployment: DeploymentKey, _ scenario: Scenario, concurrency: Int) -> String {
        [
            deployment.model, deployment.engine, deployment.precision, deployment.hardware,
            deployment.parallelism.replacingOccurrences(of: " ", with: "-"), "\(scenario.isl)x\(scenario.osl)",
            "c\(concurrency)",
        ].joined(separator: "/")
    }

    static func job(
        _ spec: SweepSpec, _ entry: SweepEntry, _ deployment: DeploymentKey, repeatIndex: Int, sweepID: String
    ) -> JobSpec {
        let workload = spec.workload
        var plans: [PointPlan] = []
        var points: [SweepPoint] = []
        for scenario in entry.scenarios {
            for concurrency in entry.search.concurrency {
                plans.append(
                    PointPlan(
                        load: .closedLoop(concurrency: concurrency),
                        dataset: RandomDataset(
                            inputLength: scenario.isl, outputLength: scenario.osl, rangeRatio: workload.rangeRatio,
                            convention: workload.rangeConvention, seed: workload.seed),
                        requests: workload.promptsPerConcurrency * concurrency,
                        warmups: workload.warmupsPerConcurrency * concurrency,
                        requestTimeoutSeconds: workload.requestTimeoutSeconds))
                points.append(
                    SweepPoint(key: pointKey(deployment, scenario, concurrency: concurrency), repeatIndex: repeatIndex))
            }
        }
        let name =
            "\(spec.name)/\(entry.model)/\(entry.engine.kind.rawValue)/\(entry.precision.rawValue)/\(entry.hardware.gpu)/\(deployment.parallelism.replacingOccurrences(of: " ", with: "-"))"
            + (spec.repeats > 1 ? "/r\(repeatIndex)" : "")
        return JobSpec(
            name: name, kind: .benchmark, gpus: deployment.gpus, exclusive: entry.hardware.exclusive,
            gpuModel: entry.engine.kind == .endpoint ? nil : entry.hardware.agentGPUModel,
            labels: entry.hardware.labels,
            benchmark: BenchmarkWorkload(
                engine: engine(entry, deployment), api: workload.api, points: plans,
                gpusForThroughput: max(1, deployment.tp)),
            sweep: SweepMembership(sweepID: sweepID, sweepName: spec.name, deployment: deployment, points: points))
    }

    static func engine(_ entry: SweepEntry, _ deployment: DeploymentKey) -> EngineSpec {
        let engine = entry.engine
        let served = engine.servedModel ?? entry.model
        switch engine.kind {
        case .sim:
            return .sim(
                SimulatedEngine(
                    hardware: entry.hardware.gpu, model: entry.model, precision: entry.precision, tp: deployment.tp,
                    ep: deployment.ep, dpAttention: deployment.dpAttention, streamInterval: engine.streamInterval,
                    timeScale: engine.timeScale, virtual: engine.virtual, slowdown: engine.slowdown))
        case .endpoint:
            return .endpoint(EndpointEngine(baseURL: engine.baseURL ?? "", model: served))
        case .vllm, .sglang, .trtllm, .llamacpp:
            let template = (engine.argv ?? defaultArgv(engine.kind, deployment)) + engine.args
            let argv = template.map {
                $0.replacingOccurrences(of: "{tp}", with: String(deployment.tp))
                    .replacingOccurrences(of: "{ep}", with: String(deployment.ep))
            }
            return .launch(
                LaunchedEngine(
                    argv: argv, environment: engine.environment, model: served,
                    readinessTimeoutSeconds: engine.readinessTimeoutSeconds))
        }
    }

    /// Each engine's usual command; prefix caching off where the engine has it on by default,
    /// as InferenceMAX runs them.
    static func defaultArgv(_ kind: SweepEngine.Kind, _ deployment: DeploymentKey) -> [String] {
        switch kind {
        case .vllm:
            [
                "vllm", "serve", "{model}", "--host", "{host}", "--port", "{port}", "--tensor-parallel-size", "{tp}",
                "--no-enable-prefix-caching",
            ] + (deployment.ep > 1 ? ["--enable-expert-parallel"] : [])
        case .sglang:
            [
                "python3", "-m", "sglang.launch_server", "--model-path", "{model}", "--host", "{host}", "--port",
                "{port}",
                "--tp", "{tp}", "--ep-size", "{ep}", "--disable-radix-cache",
            ]
                + (deployment.dpAttention ? ["--enable-dp-attention"] : [])
        case .trtllm:
            [
                "trtllm-serve", "{model}", "--host", "{host}", "--port", "{port}", "--tp_size", "{tp}", "--ep_size",
                "{ep}",
            ]
        case .llamacpp:
            ["llama-server", "-m", "{model}", "--host", "{host}", "--port", "{port}"]
        case .sim, .endpoint:
            []
        }
    }
}
