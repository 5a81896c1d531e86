import Foundation
import Testing
import Wire

@testable import Agent

/// Parsers of the vendors' tools, on recorded real outputs (see Fixtures/SOURCES.md).
@Suite struct GPUInventoryParsingTests {
    static func fixture(_ name: String) throws -> String {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil))
        return try String(contentsOf: url, encoding: .utf8)
    }

    @Test func nvidiaSMI_8xH200_withHeaderUnitsAndExtraColumns() throws {
        let gpus = try NvidiaSMIInventory.parse(try Self.fixture("nvidia-smi-query-8xH200.csv"))
        #expect(gpus.count == 8)
        #expect(gpus.map(\.index) == Array(0..<8))
        #expect(Set(gpus.map(\.name)) == ["NVIDIA H200"])
        #expect(gpus[0].memoryMiB == 143_771)
        #expect(gpus[0].driverVersion == "570.211.01")
        #expect(gpus[0].uuid == "", "this capture has no uuid column")
    }

    @Test func nvidiaSMI_4xL40S_and_1xA30() throws {
        let l40s = try NvidiaSMIInventory.parse(try Self.fixture("nvidia-smi-query-4xL40S.csv"))
        #expect(l40s.map(\.name) == Array(repeating: "NVIDIA L40S", count: 4))
        #expect(l40s.map(\.memoryMiB) == Array(repeating: 46_068, count: 4))
        let a30 = try NvidiaSMIInventory.parse(try Self.fixture("nvidia-smi-query-1xA30.csv"))
        #expect(
            a30 == [GPUDevice(index: 0, name: "NVIDIA A30", memoryMiB: 24_576, driverVersion: "580.105.08", uuid: "")])
    }

    @Test func nvidiaSMI_theAgentsOwnQueryFormat_noHeaderNoUnits() throws {
        // The column order of NvidiaSMIInventory.arguments; values from the A30 capture above.
        let gpus = try NvidiaSMIInventory.parse("0, NVIDIA A30, 24576, 580.105.08, GPU-0f6b2a\n")
        #expect(
            gpus == [
                GPUDevice(
                    index: 0, name: "NVIDIA A30", memoryMiB: 24_576, driverVersion: "580.105.08", uuid: "GPU-0f6b2a")
            ])
    }

    @Test func nvidiaSMI_errorOutput_isRefusedWithTheLine() {
        #expect {
            try NvidiaSMIInventory.parse(
                "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.\n")
        } throws: { error in
            "\(error)".contains("line 1")
        }
    }

    @Test func amdSMI_static_8xMI300X() throws {
        let gpus = try AMDSMIInventory.parse(try Self.fixture("amd-smi-static-mi300x.json"))
        #expect(gpus.count == 8)
        #expect(gpus.map(\.index) == Array(0..<8))
        #expect(Set(gpus.map(\.name)) == ["AMD Instinct MI300X"])
        #expect(gpus[0].memoryMiB == 196_592)
        #expect(gpus[0].driverVersion == "6.16.13")
        #expect(gpus[0].uuid == "0x28246CE5673B4AA0")
        #expect(Set(gpus.map(\.uuid)).count == 8, "serials tell the GPUs apart")
    }

    @Test func amdSMI_garbage_isRefused() {
        #expect(throws: AMDSMIInventory.ParseError.self) { try AMDSMIInventory.parse("amd-smi: command failed") }
    }

    @Test func declaredGPUs_needNoTool() async throws {
        let inventory = try await GPUDiscovery.inventory(
            declared: .init(count: 4, model: "SIM-H200", memoryMiB: 1), agentID: "n1")
        #expect(inventory.gpus.count == 4)
        #expect(inventory.gpuModel == "SIM-H200")
        #expect(inventory.vendor.visibleDevicesVariable == "CUDA_VISIBLE_DEVICES")
        #expect(GPUVendor.amd.visibleDevicesVariable == "HIP_VISIBLE_DEVICES")
    }
}
