/// One GPU as the node's vendor tool reports it.
public struct GPUDevice: Hashable, Sendable, Codable {
    /// The index the driver uses, which is what `CUDA_VISIBLE_DEVICES` / `HIP_VISIBLE_DEVICES` name.
    public var index: Int
    public var name: String
    public var memoryMiB: Int
    public var driverVersion: String
    public var uuid: String

    public init(index: Int, name: String, memoryMiB: Int, driverVersion: String, uuid: String) {
        self.index = index
        self.name = name
        self.memoryMiB = memoryMiB
        self.driverVersion = driverVersion
        self.uuid = uuid
    }
}

/// GPU vendor of a node, which decides the visibility variable set for workloads.
public enum GPUVendor: String, Hashable, Sendable, Codable {
    case nvidia
    case amd
    /// A host that declared its GPUs by hand (`--gpus N --gpu-model NAME`), or has none.
    case declared

    /// The environment variable that restricts a workload to its assigned GPUs.
    public var visibleDevicesVariable: String {
        switch self {
        case .nvidia, .declared: "CUDA_VISIBLE_DEVICES"
        case .amd: "HIP_VISIBLE_DEVICES"
        }
    }
}

/// What an agent brings to the fleet: its GPUs and a little about the host.
public struct Inventory: Hashable, Sendable, Codable {
    public var hostname: String
    public var vendor: GPUVendor
    public var gpus: [GPUDevice]
    public var cpuCores: Int

    public init(hostname: String, vendor: GPUVendor, gpus: [GPUDevice], cpuCores: Int) {
        self.hostname = hostname
        self.vendor = vendor
        self.gpus = gpus
        self.cpuCores = cpuCores
    }

    /// The model name of the node's GPUs; a mixed node reports them joined by `+`.
    public var gpuModel: String? {
        var seen: [String] = []
        for gpu in gpus where !seen.contains(gpu.name) { seen.append(gpu.name) }
        return seen.isEmpty ? nil : seen.joined(separator: "+")
    }

    public var gpuIndices: [Int] { gpus.map(\.index) }
}
