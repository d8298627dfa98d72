import ArgumentParser

/// The `feddata` command line: federated data in Swift.
@main
struct FedDataCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feddata",
        abstract: "Federated data: train models together while each party's data stays home.",
        subcommands: [DemoCommand.self, TrainCommand.self, SimulateCommand.self, BenchCommand.self, InspectCommand.self, CACommand.self, CoordinatorCommand.self, NodeCommand.self, SplitHeartDiseaseCommand.self, PrivacyCommand.self, LedgerCommand.self, ReportCommand.self]
    )
}
