/// Escaping of untrusted text (node names, configuration values, checkpoint text) for the
/// report formats, so that no input can inject markup.
public enum ReportEscaping {
    /// Text safe inside HTML/XML element content and quoted attribute values: `&`, `<`, `>`,
    /// `"` and `'` become `&amp;`, `&lt;`, `&gt;`, `&quot;` and `&#39;`.
    /// - Parameter text: Any text.
    public static func html(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for ch in text.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                // Control characters other than tab, LF, CR are not allowed in XML 1.0.
                if ch.value < 0x20 && ch != "\t" && ch != "\n" && ch != "\r" { out += "\u{FFFD}" } else { out.unicodeScalars.append(ch) }
            }
        }
        return out
    }

    /// Text safe as one Markdown table cell or paragraph fragment: HTML-escaped (`&`, `<`, `>`),
    /// Markdown punctuation (`\`, `` ` ``, `*`, `_`, `[`, `]`, `|`, `#`) backslash-escaped, and
    /// line breaks turned into spaces so a cell cannot end its row.
    /// - Parameter text: Any text.
    public static func markdown(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for ch in text.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\\", "`", "*", "_", "[", "]", "|", "#": out += "\\" + String(ch)
            case "\n", "\r": out += " "
            default:
                if ch.value < 0x20 && ch != "\t" { out += "\u{FFFD}" } else { out.unicodeScalars.append(ch) }
            }
        }
        return out
    }

    /// A fenced Markdown code block holding `text` verbatim: the fence is one backtick longer
    /// than the longest run of backticks in the text, so the text cannot close it.
    /// - Parameters:
    ///   - text: The block's content.
    ///   - language: The info string, e.g. `text`.
    public static func markdownCodeBlock(_ text: String, language: String = "text") -> String {
        var longest = 0, run = 0
        for ch in text { if ch == "`" { run += 1; longest = max(longest, run) } else { run = 0 } }
        let fence = String(repeating: "`", count: max(3, longest + 1))
        return fence + language + "\n" + text + (text.hasSuffix("\n") ? "" : "\n") + fence + "\n"
    }
}
