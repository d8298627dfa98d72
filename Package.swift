// swift-tools-version: 6.0
import PackageDescription

// FedData: federated data in Swift. Layers (see DESIGN.md): arrows point down only.
//   L5 feddata (CLI)
//   L4 FedWorkloads
//   L1 FedDatasets  FedModels  FedFusion  FedBundledData
//   L0 FedTensor (+ CFedKernels: C micro-kernels per instruction set)   CZlib (system zlib)
let package = Package(
    name: "FedData",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "FedTensor", targets: ["FedTensor"]),
        .library(name: "FedModels", targets: ["FedModels"]),
        .library(name: "FedDatasets", targets: ["FedDatasets"]),
        .library(name: "FedBundledData", targets: ["FedBundledData"]),
        .library(name: "FedFusion", targets: ["FedFusion"]),
        .library(name: "FedWorkloads", targets: ["FedWorkloads"]),
        .executable(name: "feddata", targets: ["feddata"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // L0: the innermost GEMM micro-kernels, one variant per instruction set, chosen at run time.
        .target(name: "CFedKernels"),
        .target(name: "FedTensor", dependencies: ["CFedKernels"]),
        // The system zlib (Debian: zlib1g-dev), for gzip-compressed IDX and text files.
        .systemLibrary(
            name: "CZlib",
            path: "Sources/CZlib",
            providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]
        ),
        // L1
        .target(name: "FedDatasets", dependencies: ["FedTensor", "CZlib"]),
        .target(name: "FedBundledData", resources: [.copy("data")]),
        .target(name: "FedModels", dependencies: ["FedTensor"]),
        .target(name: "FedFusion", dependencies: ["FedTensor"]),
        // L2: the round engine (transport-agnostic state machine, NodeChannel, in-process channel).
        .target(name: "FedRound", dependencies: ["FedFusion", "FedModels", "FedTensor"]),
        // L4: the named workloads the command line runs (datasets by name, central training, benchmarks).
        .target(name: "FedWorkloads", dependencies: ["FedTensor", "FedModels", "FedDatasets", "FedBundledData"]),
        // L4: thousands of simulated nodes in one process, on FedRound.
        .target(name: "FedSimulation", dependencies: ["FedRound", "FedFusion", "FedModels", "FedDatasets", "FedTensor"]),
        // L5
        .executableTarget(
            name: "feddata",
            dependencies: [
                "FedTensor", "FedModels", "FedDatasets", "FedBundledData", "FedWorkloads",
                "FedFusion", "FedRound", "FedSimulation",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "FedTensorTests", dependencies: ["FedTensor"]),
        .testTarget(name: "FedDatasetsTests", dependencies: ["FedDatasets", "FedBundledData"]),
        .testTarget(name: "FedModelsTests", dependencies: ["FedModels", "FedTensor"]),
        .testTarget(name: "FedWorkloadsTests", dependencies: ["FedWorkloads"]),
        .testTarget(name: "FedFusionTests", dependencies: ["FedFusion"]),
        .testTarget(name: "FedRoundTests", dependencies: ["FedRound", "FedFusion", "FedModels", "FedTensor"]),
        .testTarget(
            name: "FedSimulationTests",
            dependencies: ["FedSimulation", "FedRound", "FedFusion", "FedModels", "FedDatasets", "FedTensor"]
        ),
    ]
)
