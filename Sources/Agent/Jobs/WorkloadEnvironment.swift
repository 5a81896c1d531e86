/// The environment a workload inherits from the agent: the few variables a program needs to
/// run at all, and those the operator names — never the agent's own secrets.
///
/// The agent's environment may hold its credential (`SWEEPLINE_AGENT_CREDENTIAL`) and whatever else
/// its host put there; workloads are other people's code. So nothing passes unless listed here
/// or by `sweepline agent --workload-env NAME`, and no `SWEEPLINE_*` variable passes at all.
/// The job's own `env` and Sweepline's job variables are added on top (``AssignedJob``).
public enum WorkloadEnvironment {
    /// What every program may expect: where to find commands and libraries, who and where it
    /// is, its locale and time zone.
    public static let passed: Set<String> = [
        "PATH", "HOME", "USER", "LOGNAME", "SHELL", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR", "LD_LIBRARY_PATH",
    ]

    /// The part of `environment` a workload gets; `extra` names more variables to pass.
    public static func inherited(from environment: [String: String], passing extra: Set<String> = []) -> [String:
        String]
    {
        environment.filter { name, _ in
            !name.hasPrefix("SWEEPLINE_") && (passed.contains(name) || extra.contains(name))
        }
    }
}
