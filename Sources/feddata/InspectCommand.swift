import ArgumentParser
import FedModels
import FedWorkloads
import Foundation

/// `feddata inspect FILE`: lists the tensors of a safetensors file.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "List the tensors of a safetensors file (names, shapes, checksums)."
    )

    @Argument(help: "A .safetensors file.")
    var file: String

    @Flag(help: "Print JSON Lines.")
    var json = false

    func run() throws {
        let (parameters, metadata) = try SafeTensors.load(from: URL(fileURLWithPath: file))
        for (name, t) in zip(parameters.names, parameters.tensors) {
            let sum = t.scalars.reduce(0.0) { $0 + Double($1) }
            if json {
                emit(JSONLine(["name": .string(name), "shape": .array(t.shape.map { .integer($0) }),
                               "dtype": .string("F32"), "sum": .number(sum), "bytes": .integer(t.count * 4)]))
            } else {
                print("\(name)  \(t.shape)  sum \(sum)")
            }
        }
        let total = parameters.scalarCount
        if json {
            var meta = JSONLine()
            for (k, v) in metadata.sorted(by: { $0.key < $1.key }) { meta[k] = .string(v) }
            emit(JSONLine(["tensors": .integer(parameters.names.count), "parameters": .integer(total), "metadata": .object(meta)]))
        } else {
            print("\(parameters.names.count) tensors, \(total) parameters, metadata \(metadata)")
        }
    }
}
