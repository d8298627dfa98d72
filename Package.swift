// swift-tools-version: 6.1
import PackageDescription

// FedData: federated data in Swift. Layers (see DESIGN.md): arrows point down only.
//   L5 feddata (CLI)
//   L4 FedWorkloads  FedSimulation  FedCoordinator  FedNode
//   L3 FedProtocol (the only importer of gRPC/protobuf)  FedStore (the only importer of GRDB)
//   L2 FedRound
//   L1 FedDatasets  FedModels  FedFusion  FedBundledData  FedIdentity
//   L0 FedTensor (+ CFedKernels: C micro-kernels per instruction set)   CZlib (system zlib)   FedCrypto (swift-crypto)
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
        .package(url: "https://github.com/grpc/grpc-swift-2.git", from: "2.4.3"),
        .package(url: "https://github.com/grpc/grpc-swift-nio-transport.git", from: "2.9.2"),
        .package(url: "https://github.com/grpc/grpc-swift-protobuf.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
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
        // L0: hashing, keys and (issue 5) key agreement, AEAD, signatures; the only importer of swift-crypto.
        .target(
            name: "FedCrypto",
            dependencies: [.product(name: "Crypto", package: "swift-crypto"), .product(name: "CryptoExtras", package: "swift-crypto")]
        ),
        // L1
        .target(
            name: "FedIdentity",
            dependencies: [
                "FedCrypto",
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ]
        ),
        .target(name: "FedDatasets", dependencies: ["FedTensor", "CZlib"]),
        .target(name: "FedBundledData", resources: [.copy("data")]),
        .target(name: "FedModels", dependencies: ["FedTensor"]),
        .target(name: "FedFusion", dependencies: ["FedTensor"]),
        // L1: differential privacy (clipping, Gaussian noise, the RDP accountant, the DP-FedAvg wrapper).
        .target(name: "FedPrivacy", dependencies: ["FedFusion", "FedTensor"]),
        // L1: SecAgg+ (Bell et al. 2020) client and server state machines; imports FedCrypto only.
        .target(name: "FedSecureAggregation", dependencies: ["FedCrypto"]),
        // L1: the federation's verifiable append-only log (RFC 9162 Merkle tree, proofs, signed checkpoints).
        .target(name: "FedLedger", dependencies: ["FedCrypto"]),
        // L1: per-node contribution values (exact Shapley, leave-one-out, GTG-Shapley on round reconstructions).
        .target(name: "FedContribution", dependencies: ["FedTensor"]),
        // L1: model reports (Markdown, self-contained HTML, SVG charts); pure rendering, no dependencies.
        .target(name: "FedReport"),
        // L2: the round engine (transport-agnostic state machine, NodeChannel, in-process channel).
        .target(name: "FedRound", dependencies: ["FedFusion", "FedModels", "FedTensor", "FedCrypto", "FedSecureAggregation"]),
        // L3: the wire protocol (protobuf messages and gRPC service, generated code committed) and its mapping.
        .target(
            name: "FedProtocol",
            dependencies: [
                "FedRound", "FedModels", "FedCrypto",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            exclude: ["Protos"]
        ),
        // L3: the coordinator's durable state (SQLite through GRDB, WAL).
        .target(
            name: "FedStore",
            dependencies: ["FedRound", "FedModels", "FedCrypto", "FedLedger", "FedReport", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        // L4: the networked coordinator and node agent.
        .target(
            name: "FedCoordinator",
            dependencies: [
                "FedProtocol", "FedStore", "FedIdentity", "FedRound", "FedFusion", "FedModels", "FedTensor", "FedCrypto", "FedPrivacy", "FedLedger",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "X509", package: "swift-certificates"),
            ]
        ),
        .target(
            name: "FedNode",
            dependencies: [
                "FedProtocol", "FedIdentity", "FedRound", "FedModels", "FedDatasets", "FedTensor", "FedSimulation", "FedWorkloads", "FedBundledData",
                "FedPrivacy", "FedLedger",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
            ]
        ),
        // L4: the named workloads the command line runs (datasets by name, central training, benchmarks).
        .target(name: "FedWorkloads", dependencies: ["FedTensor", "FedModels", "FedDatasets", "FedBundledData"]),
        // L4: thousands of simulated nodes in one process, on FedRound.
        .target(name: "FedSimulation", dependencies: ["FedRound", "FedFusion", "FedModels", "FedDatasets", "FedTensor", "FedPrivacy", "FedContribution", "FedLedger"]),
        // L5
        .executableTarget(
            name: "feddata",
            dependencies: [
                "FedTensor", "FedModels", "FedDatasets", "FedBundledData", "FedWorkloads",
                "FedFusion", "FedRound", "FedSimulation", "FedIdentity", "FedStore", "FedCoordinator", "FedNode", "FedProtocol", "FedCrypto",
                "FedPrivacy", "FedLedger", "FedSecureAggregation", "FedContribution", "FedReport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
            ]
        ),
        .testTarget(name: "FedTensorTests", dependencies: ["FedTensor"]),
        .testTarget(name: "FedDatasetsTests", dependencies: ["FedDatasets", "FedBundledData"]),
        .testTarget(name: "FedModelsTests", dependencies: ["FedModels", "FedTensor"]),
        .testTarget(name: "FedWorkloadsTests", dependencies: ["FedWorkloads"]),
        .testTarget(name: "FedFusionTests", dependencies: ["FedFusion"]),
        .testTarget(name: "FedRoundTests", dependencies: ["FedRound", "FedFusion", "FedModels", "FedTensor"]),
        .testTarget(name: "FedCryptoTests", dependencies: ["FedCrypto"]),
        .testTarget(name: "FedPrivacyTests", dependencies: ["FedPrivacy", "FedFusion", "FedTensor"], exclude: ["dp_accounting_reference.py"]),
        .testTarget(name: "FedSecureAggregationTests", dependencies: ["FedSecureAggregation", "FedCrypto"]),
        .testTarget(name: "FedLedgerTests", dependencies: ["FedLedger", "FedCrypto"], resources: [.copy("Vectors")]),
        .testTarget(name: "FedContributionTests", dependencies: ["FedContribution", "FedTensor"]),
        .testTarget(name: "FedReportTests", dependencies: ["FedReport"]),
        .testTarget(
            name: "FedIdentityTests",
            dependencies: [
                "FedIdentity", "FedCrypto",
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ]
        ),
        .testTarget(name: "FedProtocolTests", dependencies: ["FedProtocol", "FedRound"]),
        .testTarget(name: "FedStoreTests", dependencies: ["FedStore", "FedRound", "FedModels", "FedLedger", "FedFusion"]),
        .testTarget(
            name: "FedNetworkTests",
            dependencies: ["FedCoordinator", "FedNode", "FedIdentity", "FedProtocol", "FedStore", "FedRound", "FedFusion", "FedModels", "FedLedger", "FedCrypto",
                           "FedDatasets", "FedSimulation", "FedWorkloads",
                           .product(name: "GRPCCore", package: "grpc-swift-2"),
                           .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                           .product(name: "SwiftProtobuf", package: "swift-protobuf")]
        ),
        .testTarget(
            name: "FedSimulationTests",
            dependencies: ["FedSimulation", "FedRound", "FedFusion", "FedModels", "FedDatasets", "FedTensor"]
        ),
    ]
)
