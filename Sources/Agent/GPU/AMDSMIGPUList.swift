import Wire

/// The per-GPU entries of any `amd-smi … --json` output: ROCm 7 wraps them as
/// `{"gpu_data": [...]}`, ROCm 6 prints the list alone. Both the inventory (`static`) and the
/// power samples (`metric`) read them through here.
public enum AMDSMIGPUList {
    /// Nil when `root` is neither shape.
    public static func entries(in root: JSONValue) -> [JSONValue]? {
        if case .array(let list) = root { return list }
        if case .array(let list)? = root["gpu_data"] { return list }
        return nil
    }
}
