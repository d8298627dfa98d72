/// The LEAF Shakespeare preprocessing (TalwalkarLab/leaf, `data/shakespeare/preprocess/`),
/// re-implemented rule for rule from shared/data/README.md ("LEAF Shakespeare preprocessing
/// rules", steps 1–9); no LEAF code is copied. Works on the ASCII bytes of Project Gutenberg
/// etext #100 (1994 edition).
enum LEAFShakespeareParser {
    /// The last line (0-based, after dropping the file's first line) that belongs to the plays.
    static let lastPlayLine = 124_195
    static let authorMarker = Array("by William Shakespeare".utf8)
    static let comedyOfErrors = "THE COMEDY OF ERRORS"

    /// One play while parsing: its title and its roles in order of first speech.
    private struct Play {
        var title: String
        var roleNames: [String] = []
        var fragments: [String: [Range<Int>]] = [:]

        mutating func addFragment(_ fragment: Range<Int>, to role: String) {
            if fragments[role] == nil { roleNames.append(role) }
            fragments[role, default: []].append(fragment)
        }
    }

    /// Parses the complete works into the roles that survive step 7, in order of first
    /// appearance, with their normalised text (step 9).
    /// - Throws: `DatasetError` `.invalidFormat` if the layout LEAF relies on is absent.
    static func parse(_ bytes: [UInt8], source: String) throws -> [ShakespeareRole] {
        try bytes.withUnsafeBufferPointer { text in
            // Step 1: lines (LF or CRLF), the first one dropped.
            var lines: [Range<Int>] = []
            var start = 0
            for i in 0..<text.count where text[i] == 0x0A {
                lines.append(start ..< (i > start && text[i - 1] == 0x0D ? i - 1 : i))
                start = i + 1
            }
            if start < text.count { lines.append(start ..< text.count) }
            lines = Array(lines.dropFirst())

            // Step 2: start 5 lines before the second "by William Shakespeare".
            var markers = 0
            var firstLine: Int? = nil
            for (i, line) in lines.enumerated() where contains(text, line, authorMarker) {
                markers += 1
                if markers == 2 { firstLine = i - 5; break }
            }
            guard let firstLine, firstLine >= 0 else {
                throw DatasetError(
                    .invalidFormat, source: source,
                    message: "expected the Gutenberg complete works (at least two lines containing 'by William Shakespeare'), found \(markers)")
            }

            var plays: [Play] = []
            var comedy = false
            var speaker: String? = nil
            for i in firstLine ... min(lastPlayLine, lines.count - 1) {
                let line = lines[i]
                // Step 3: a new play; the speaker is cleared.
                if contains(text, line, authorMarker) {
                    speaker = nil
                    var title = ""
                    for back in 2...7 where i - back >= 0 {
                        title = string(text, trimmed(text, lines[i - back]))
                        if !title.isEmpty || back == 7 { break }
                    }
                    guard !title.isEmpty else {
                        throw DatasetError(
                            .invalidFormat, source: source, line: i + 2,
                            message: "expected a play title 2–7 lines above 'by William Shakespeare', found blank lines")
                    }
                    comedy = title == comedyOfErrors
                    plays.append(Play(title: title))
                    continue
                }
                guard !plays.isEmpty else { continue }
                // Step 4 (step 6 for the Comedy of Errors): a speaker line.
                if let (nameRange, rest) = speakerLine(text, line, indent: comedy ? 0 : 2) {
                    let name = string(text, nameRange).uppercased()
                    if comedy && name.hasPrefix("ACT ") {
                        speaker = nil
                    } else {
                        plays[plays.count - 1].addFragment(rest, to: name)
                        speaker = name
                    }
                    continue
                }
                // Step 5 (step 6): a continuation line of the current speaker.
                guard let current = speaker else { continue }
                if comedy {
                    if line.lowerBound < line.upperBound && text[line.lowerBound] == UInt8(ascii: "<") {
                        speaker = nil
                    } else {
                        plays[plays.count - 1].addFragment(line, to: current)
                    }
                } else if line.count >= 4 && (0..<4).allSatisfy({ text[line.lowerBound + $0] == 0x20 }) {
                    plays[plays.count - 1].addFragment(line.lowerBound + 4 ..< line.upperBound, to: current)
                }
            }

            // Step 7: drop plays with ≤ 1 role and roles with ≤ 2 fragments; one client per id
            // (two roles whose ids coincide are merged, as LEAF's dictionary does).
            var order: [String] = []
            var merged: [String: (play: String, character: String, fragments: [Range<Int>])] = [:]
            for play in plays where play.roleNames.count > 1 {
                for name in play.roleNames {
                    let fragments = play.fragments[name]!
                    guard fragments.count > 2 else { continue }
                    let id = clientID(play: play.title, role: name)
                    if merged[id] == nil {
                        order.append(id)
                        merged[id] = (play.title, name, [])
                    }
                    merged[id]!.fragments += fragments
                }
            }
            // Steps 8–9: fragments each followed by a newline; newlines become spaces; runs of
            // spaces collapse to one.
            return order.map { id in
                let role = merged[id]!
                var normalised: [UInt8] = []
                normalised.reserveCapacity(role.fragments.reduce(0) { $0 + $1.count + 1 })
                var previous: UInt8 = 0
                for fragment in role.fragments {
                    for i in fragment.lowerBound ... fragment.upperBound {
                        let c: UInt8 = i == fragment.upperBound || text[i] == 0x0A ? 0x20 : text[i]
                        if c == 0x20 && previous == 0x20 { continue }
                        normalised.append(c)
                        previous = c
                    }
                }
                return ShakespeareRole(
                    clientID: id, play: role.play, character: role.character,
                    fragmentCount: role.fragments.count, text: normalised)
            }
        }
    }

    /// LEAF's client id: `play + "_" + role`, spaces to `_`, then each run of characters
    /// outside `[A-Za-z0-9_]` to one `_`.
    static func clientID(play: String, role: String) -> String {
        var out = ""
        var inRun = false
        for scalar in (play + "_" + role).unicodeScalars {
            let s = scalar == " " ? "_" : scalar
            let isWord = s == "_" || (s.isASCII && (s.properties.isAlphabetic || ("0"..."9").contains(s)))
            if isWord {
                out.unicodeScalars.append(s)
                inRun = false
            } else if !inRun {
                out.append("_")
                inRun = true
            }
        }
        return out
    }

    /// Matches `^<indent spaces>([a-zA-Z][a-zA-Z ]*)\. (.*)`: the name's range and the text's.
    private static func speakerLine(_ text: UnsafeBufferPointer<UInt8>, _ line: Range<Int>, indent: Int) -> (Range<Int>, Range<Int>)? {
        var j = line.lowerBound
        for _ in 0..<indent {
            guard j < line.upperBound, text[j] == 0x20 else { return nil }
            j += 1
        }
        guard j < line.upperBound, isLetter(text[j]) else { return nil }
        let nameStart = j
        j += 1
        while j < line.upperBound && (isLetter(text[j]) || text[j] == 0x20) { j += 1 }
        guard j + 1 < line.upperBound, text[j] == UInt8(ascii: "."), text[j + 1] == 0x20 else { return nil }
        return (nameStart ..< j, j + 2 ..< line.upperBound)
    }

    private static func isLetter(_ b: UInt8) -> Bool {
        (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
    }

    /// Whether `line` contains `pattern`.
    private static func contains(_ text: UnsafeBufferPointer<UInt8>, _ line: Range<Int>, _ pattern: [UInt8]) -> Bool {
        let m = pattern.count
        guard line.count >= m else { return false }
        var i = line.lowerBound
        while i + m <= line.upperBound {
            if text[i] == pattern[0] {
                var k = 1
                while k < m && text[i + k] == pattern[k] { k += 1 }
                if k == m { return true }
            }
            i += 1
        }
        return false
    }

    /// `line` without leading and trailing whitespace (Python's `str.strip` on ASCII).
    private static func trimmed(_ text: UnsafeBufferPointer<UInt8>, _ line: Range<Int>) -> Range<Int> {
        func isSpace(_ b: UInt8) -> Bool { (b >= 0x09 && b <= 0x0D) || (b >= 0x1C && b <= 0x20) }
        var lo = line.lowerBound, hi = line.upperBound
        while lo < hi && isSpace(text[lo]) { lo += 1 }
        while hi > lo && isSpace(text[hi - 1]) { hi -= 1 }
        return lo ..< hi
    }

    private static func string(_ text: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: text[range]), as: UTF8.self)
    }
}
