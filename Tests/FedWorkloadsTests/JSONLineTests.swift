import Testing
@testable import FedWorkloads

@Suite struct JSONLineTests {
    @Test func keepsKeyOrderAndEscapes() {
        var line = JSONLine(["name": .string("gemm-32x784x200"), "gflops": .number(212.5)])
        line["note"] = .string("a \"quoted\"\nline")
        line["steps"] = .integer(3)
        line["missing"] = .null
        #expect(line.description == #"{"name":"gemm-32x784x200","gflops":212.5,"note":"a \"quoted\"\nline","steps":3,"missing":null}"#)
    }

    @Test func nonFiniteNumbersBecomeNull() {
        #expect(JSONLine(["x": .number(.nan)]).description == #"{"x":null}"#)
        #expect(JSONLine(["x": .number(2)]).description == #"{"x":2.0}"#)
    }
}
