/// One speaking role of one play: a LEAF Shakespeare client, with its normalised text.
public struct ShakespeareRole: Sendable, Equatable {
    /// The LEAF client id, e.g. `THE_TRAGEDY_OF_HAMLET__PRINCE_OF_DENMARK_HAM`.
    public let clientID: String
    /// The play's title as printed (the client's LEAF "hierarchy").
    public let play: String
    /// The role's name, uppercased.
    public let character: String
    /// The number of speech fragments (lines) of the role (`n_lines` in the golden TSV).
    public let fragmentCount: Int
    /// The role's text after LEAF normalisation (fragments joined by newlines, newlines turned
    /// into spaces, runs of spaces collapsed), as ASCII bytes.
    public let text: [UInt8]

    /// Creates a role.
    public init(clientID: String, play: String, character: String, fragmentCount: Int, text: [UInt8]) {
        self.clientID = clientID
        self.play = play
        self.character = character
        self.fragmentCount = fragmentCount
        self.text = text
    }

    /// The number of next-character samples: max(0, text length − 80).
    public var sampleCount: Int { max(0, text.count - ShakespeareDataset.sequenceLength) }
}
