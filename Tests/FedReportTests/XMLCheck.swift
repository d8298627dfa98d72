import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Well-formedness checks for rendered SVG and HTML.
enum XMLCheck {
    /// Records what the SAX parser saw. (`XMLDocument(xmlString:)` on Linux recovers from
    /// mismatched tags, so the strict check is done with `XMLParser` and its error callback.)
    private final class Recorder: NSObject, XMLParserDelegate {
        var errors = 0
        var started: [String] = []
        var ended = 0
        func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) { errors += 1 }
        func parser(_ parser: XMLParser, validationErrorOccurred validationError: any Error) { errors += 1 }
        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
            qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]
        ) { started.append(elementName) }
        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
            ended += 1
        }
    }

    /// The names of all elements in document order, or nil unless `text` is well-formed XML:
    /// the parser succeeds, reports no error, and every started element ends.
    static func elements(_ text: String) -> [String]? {
        let parser = XMLParser(data: Data(text.utf8))
        let recorder = Recorder()
        parser.delegate = recorder
        let ok = parser.parse()
        guard ok, parser.parserError == nil, recorder.errors == 0, !recorder.started.isEmpty,
            recorder.started.count == recorder.ended
        else { return nil }
        return recorder.started
    }

    /// Whether `text` is well-formed XML.
    static func parses(_ text: String) -> Bool { elements(text) != nil }

    /// The number of elements named `name` (nil if `text` is not well-formed).
    static func count(_ name: String, in text: String) -> Int? {
        elements(text).map { $0.filter { $0 == name }.count }
    }

    /// A parser-free check that every start tag is closed in order (`<!…>` and `<?…?>` skipped,
    /// `<…/>` self-closing), as a second opinion beside the parser.
    static func balancedTags(_ text: String) -> Bool {
        var stack: [Substring] = []
        var i = text.startIndex
        while let open = text[i...].firstIndex(of: "<") {
            guard let close = text[open...].firstIndex(of: ">") else { return false }
            let tag = text[text.index(after: open)..<close]
            i = text.index(after: close)
            if tag.hasPrefix("!") || tag.hasPrefix("?") { continue }
            if tag.hasPrefix("/") {
                guard let top = stack.popLast(), top == tag.dropFirst() else { return false }
            } else if !tag.hasSuffix("/") {
                stack.append(tag.prefix { $0 != " " && $0 != "\n" })
            }
        }
        return stack.isEmpty
    }
}
