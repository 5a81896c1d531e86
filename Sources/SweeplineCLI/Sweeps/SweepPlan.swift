import Catalog
import Coordinator
import Foundation
import Simulator
import Wire

/// What a sweep will run before anything runs: its jobs, their points, and how long they will
/// take, estimated with the simulated engine wherever the catalogs know the model and the GPU.
struct SweepPlan {
    struct Job {
        var spec: JobSpec
        /// Seconds the points take on the real hardware; `nil` when it cannot be estimated.
        var seconds: Double?
        /// Why the simulator refuses the deployment (it does not fit), if it does.
        var refused: String?
    }

    var jobs: [Job]

    /// Engine start-up, model load and warm-up per launched engine: a typical figure.
    static let launchOverheadSeconds = 300.0

    init(_ spec: SweepSpec, catalog: Catalog) {
        jobs = SweepExpansion.jobs(spec, sweepID: "plan").map { job in
            Self.estimate(job, catalog: catalog)
        }
    }

    var points: Int { jobs.reduce(0) { $0 + ($1.spec.benchmark?.points.count ?? 0) } }

    /// GPU-hours on the real hardware: time × GPUs, summed; `nil` if any job is unknown.
    var gpuHours: Double? {
        var total = 0.0
        for job in jobs where job.refused == nil {
            guard let seconds = job.seconds else { return nil }
            total += seconds * Double(max(1, job.spec.gpus)) / 3600
        }
        return total
    }

    static func estimate(_ job: JobSpec, catalog: Catalog) -> Job {
        guard let membership = job.sweep, let workload = job.benchmark,
            let hardware = try? catalog.hardware(membership.deployment.hardware),
            let model = try? catalog.model(membership.deployment.model),
            let precision = Precision(rawValue: membership.deployment.precision)
        else { return Job(spec: job, seconds: nil, refused: nil) }
        let deployment = Deployment(
            hardware: hardware, model: model, precision: precision, tp: membership.deployment.tp,
            ep: membership.deployment.ep, dpAttention: membership.deployment.dpAttention)
        var seconds = membership.deployment.engine == "sim" ? 0 : launchOverheadSeconds
        for plan in workload.points {
            do {
                // The warm-ups run too: the whole point lasts until its last request ends.
                seconds += try VirtualPoints.records(plan, deployment: deployment).map(\.lastToken).max() ?? 0
            } catch {
                return Job(spec: job, seconds: nil, refused: "\(error)")
            }
        }
        return Job(spec: job, seconds: seconds, refused: nil)
    }
}
