/// The 80-symbol alphabet of LEAF's Shakespeare model (`models/utils/language_utils.py`):
/// newline, space, `!"&'(),-.`, `0`–`9`, `:;>?`, `A`–`Z`, `[]`, `a`–`z`, `}`.
/// A character's index is its position here; characters outside it map to −1 (as in LEAF).
public enum ShakespeareAlphabet {
    /// The symbols in index order.
    public static let symbols: [UInt8] = Array(
        "\n !\"&'(),-.0123456789:;>?ABCDEFGHIJKLMNOPQRSTUVWXYZ[]abcdefghijklmnopqrstuvwxyz}".utf8)

    /// The alphabet size, 80.
    public static var count: Int { symbols.count }

    /// The index LEAF gives a character outside the alphabet.
    public static let outOfAlphabet: Int32 = -1

    /// Index of every byte value: its alphabet position, or −1.
    public static let table: [Int32] = {
        var t = [Int32](repeating: outOfAlphabet, count: 256)
        for (i, s) in symbols.enumerated() { t[Int(s)] = Int32(i) }
        return t
    }()

    /// The index of an ASCII byte, or −1 if it is outside the alphabet.
    public static func index(of byte: UInt8) -> Int32 { table[Int(byte)] }

    /// The character with alphabet index `index`.
    /// - Precondition: `index` is in `0..<80`.
    public static func character(at index: Int32) -> Character {
        Character(Unicode.Scalar(symbols[Int(index)]))
    }
}
