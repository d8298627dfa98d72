import Testing
@testable import FedProtocol

/// Runs `body`, expects a `WireError` with `code` whose description names `source` and
/// contains each of `fragments`, and returns it.
@discardableResult
func expectWireError(_ code: WireError.Code, source: String, _ fragments: String...,
                     sourceLocation: SourceLocation = #_sourceLocation,
                     _ body: () throws -> Void) -> WireError? {
    do {
        try body()
        Issue.record("expected WireError \(code), nothing was thrown", sourceLocation: sourceLocation)
        return nil
    } catch let error as WireError {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        #expect(error.source == source, "\(error)", sourceLocation: sourceLocation)
        #expect(error.description.hasPrefix(source + ": "), "\(error)", sourceLocation: sourceLocation)
        for fragment in fragments {
            #expect(error.description.contains(fragment), "\"\(fragment)\" not in: \(error)", sourceLocation: sourceLocation)
        }
        return error
    } catch {
        Issue.record("expected WireError \(code), got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}
