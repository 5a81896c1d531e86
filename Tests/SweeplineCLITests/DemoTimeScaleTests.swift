import Testing

@testable import SweeplineCLI

@Suite struct DemoTimeScaleTests {
    @Test func everyDeployment_streamsWithinTheBudget_andTheLightOnesRunFaster() throws {
        let deployments = try DemoCommand.deployments(timeScale: nil, streamInterval: 16)
        #expect(deployments.count == 48, "24 deployments, two concurrency bands each")
        for deployment in deployments {
            let scale = deployment.timeScale
            let events = scale.predictedTokensPerSecond * scale.scale / 16
            #expect(scale.scale >= 1 && scale.scale <= DemoTimeScale.fastest)
            #expect(
                events <= DemoTimeScale.eventBudget * 1.001 || scale.scale == 1,
                "\(deployment.model) \(deployment.gpu) tp\(deployment.tp): \(Int(events)) events/s")
        }
        // The same model on more GPUs of a kind streams more tokens a second, so it runs slower.
        let llamaOnH200 = deployments.filter {
            $0.model == "Llama-3.3-70B-Instruct" && $0.gpu == "H200-SXM" && $0.concurrencies.last == 256
        }
        #expect(llamaOnH200.map(\.tp) == [1, 2, 4, 8])
        let rates = llamaOnH200.map(\.timeScale.predictedTokensPerSecond)
        #expect(rates == rates.sorted(), "\(rates)")
        let scales = llamaOnH200.map(\.timeScale.scale)
        #expect(scales == scales.sorted(by: >), "\(scales)")
    }

    @Test func theLowConcurrencyBand_runsAtLeastAsFast() throws {
        let deployments = try DemoCommand.deployments(timeScale: nil, streamInterval: 16)
        for high in deployments where high.concurrencies.last == 256 {
            let low = deployments.first {
                $0.model == high.model && $0.gpu == high.gpu && $0.tp == high.tp && $0.concurrencies.last == 32
            }!
            #expect(low.timeScale.scale >= high.timeScale.scale)
        }
    }

    @Test func aFixedScale_isUsedForEveryDeployment() throws {
        let deployments = try DemoCommand.deployments(timeScale: 160, streamInterval: 16)
        #expect(deployments.allSatisfy { $0.timeScale.scale == 160 })
        let file = DemoCommand.sweepFile(
            virtual: false, deployments: deployments, streamInterval: 16, promptsPerConcurrency: 2)
        #expect(file.components(separatedBy: "timeScale: 160,").count - 1 == 48)
        #expect(file.contains("concurrency: [4, 8, 16, 32]") && file.contains("concurrency: [64, 128, 256]"))
    }
}
