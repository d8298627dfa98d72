import FedCrypto

/// The server side of SecAgg+ (semi-honest) as an I/O-free value-type state machine. For each
/// stage, feed it the clients' messages with `receive(_:from:)` as they arrive, then call the
/// stage's `finish…()` to close it and get the messages for the next one:
///
/// ```
/// var server = try SecureAggregationServer(configuration: config)
/// try server.receive(advertiseKeys, from: id)            … for each client
/// let request = try server.finishAdvertiseKeys()         // ShareKeysRequest, to every node in U1
/// try server.receive(shareKeys, from: id)                …
/// let forwards = try server.finishShareKeys()            // [node: MaskedInputRequest]
/// try server.receive(maskedInput, from: id)              … (added into one running sum)
/// let unmask = try server.finishMaskedInputCollection()  // [node: UnmaskingRequest]
/// try server.receive(unmasking, from: id)                …
/// let sum = try server.finishUnmasking()                 // Σ_{u ∈ U3} x_u mod 2^b
/// ```
///
/// A `receive` that throws rejects that one message and leaves the state unchanged (the node
/// counts as not having answered). A `finish…` that throws fails the round for good: the stage
/// becomes `failed` and nothing, in particular no partial sum, is returned. Masked inputs are
/// added into one m-word accumulator as they arrive (O(m) memory, never n vectors).
public struct SecureAggregationServer: Sendable {
    /// The round's configuration.
    public let configuration: SecureAggregationConfiguration
    /// The stage whose client messages the server accepts now, or `completed` / `failed`.
    public private(set) var stage: SecureAggregationStage = .advertiseKeys

    var advertised: [UInt64: AdvertisedKeys] = [:]
    var sessionID: [UInt8] = []
    var shareMessages: [UInt64: ShareKeysMessage] = [:]
    var commitments: [UInt64: [UInt8]] = [:]
    var sharers: Set<UInt64> = []          // U2
    var accumulator: [UInt32] = []
    var maskedSenders: Set<UInt64> = []    // U3
    var unmaskingRequests: [UInt64: UnmaskingRequest] = [:]
    var selfMaskShares: [UInt64: [ShamirShare]] = [:]
    var maskKeyShares: [UInt64: [ShamirShare]] = [:]
    var unmaskers: Set<UInt64> = []        // U4

    /// Creates a server for one round.
    public init(configuration: SecureAggregationConfiguration) {
        self.configuration = configuration
    }

    /// The nodes whose masked inputs are in the sum (U3), once MaskedInputCollection has closed.
    public var survivors: [UInt64] { maskedSenders.sorted() }

    func failure(_ code: SecureAggregationError.Code, _ nodes: [UInt64], _ message: String, cause: (any Error)? = nil) -> SecureAggregationError {
        SecureAggregationError(code, stage: stage, nodes: nodes, message, cause: cause)
    }

    func checkIncoming(_ expected: SecureAggregationStage, sender: UInt64, from node: UInt64, what: String, allowed: (UInt64) -> Bool, already: Bool) throws {
        guard stage == expected else {
            throw failure(.unexpectedMessage, [node], "\(what) from node \(node) arrived in the \(stage) stage, expected in \(expected)")
        }
        guard sender == node else {
            throw failure(.unexpectedMessage, [node], "\(what) from node \(node) names node \(sender) as its sender")
        }
        guard allowed(node) else {
            throw failure(.unexpectedMessage, [node], "\(what) from node \(node), which is not expected in this stage (not a participant or did not complete the previous stage)")
        }
        guard !already else { throw failure(.unexpectedMessage, [node], "second \(what) from node \(node)") }
    }

    mutating func finishing<T>(_ body: (inout Self) throws -> T) throws -> T {
        do {
            return try body(&self)
        } catch {
            stage = .failed
            throw error
        }
    }

    // MARK: Round 0

    /// Accepts a node's public keys.
    /// - Throws: ``SecureAggregationError`` (`unexpectedMessage`): wrong stage, sender mismatch, not a
    ///   participant, a second message, or a key equal to one already advertised (or c = s).
    public mutating func receive(_ message: AdvertiseKeysMessage, from node: UInt64) throws {
        try checkIncoming(.advertiseKeys, sender: message.sender, from: node, what: "AdvertiseKeys message",
                          allowed: configuration.contains, already: advertised[node] != nil)
        guard message.encryptionKey != message.maskingKey else {
            throw failure(.unexpectedMessage, [node], "node \(node) advertised the same key for encryption and masking")
        }
        for other in advertised.values {
            let theirs: Set = [other.encryptionKey, other.maskingKey]
            if theirs.contains(message.encryptionKey) || theirs.contains(message.maskingKey) {
                throw failure(.unexpectedMessage, [other.node, node].sorted(), "node \(node) advertised a public key already advertised by node \(other.node)")
            }
        }
        advertised[node] = AdvertisedKeys(node: node, encryptionKey: message.encryptionKey, maskingKey: message.maskingKey)
    }

    /// Closes AdvertiseKeys (U1 = the nodes that advertised) and returns the request every node in
    /// U1 receives.
    /// - Throws: ``SecureAggregationError`` (`thresholdNotMet`) naming every node of U1 with fewer
    ///   than t share holders in U1 (its neighbours that advertised, plus itself); the round fails.
    public mutating func finishAdvertiseKeys() throws -> ShareKeysRequest {
        guard stage == .advertiseKeys else { throw failure(.unexpectedMessage, [], "finishAdvertiseKeys called in the \(stage) stage") }
        return try finishing { s in
            let alive = Set(s.advertised.keys)
            try s.requireHolders(of: alive, within: alive, countSelf: true)
            let keys = s.advertised.values.sorted { $0.node < $1.node }
            s.sessionID = KeySchedule.sessionID(s.configuration, keys: keys)
            s.stage = .shareKeys
            return ShareKeysRequest(keys: keys)
        }
    }

    /// Fails unless every node in each group has at least t share holders in `alive` (counting
    /// itself when `countSelf`); the error names every short node of every group.
    func requireHolders(_ groups: [(nodes: Set<UInt64>, countSelf: Bool)], within alive: Set<UInt64>) throws {
        var short = [UInt64]()
        var detail = [String]()
        for group in groups {
            for u in group.nodes.sorted() {
                let holders = configuration.neighbours(of: u).filter(alive.contains).count + (group.countSelf ? 1 : 0)
                if holders < configuration.threshold {
                    short.append(u)
                    if detail.count < 5 { detail.append("node \(u) has \(holders)") }
                }
            }
        }
        guard short.isEmpty else {
            throw failure(.thresholdNotMet, short.sorted(),
                          "\(short.count) node(s) have fewer than t = \(configuration.threshold) surviving share holders (\(detail.joined(separator: ", "))\(short.count > 5 ? ", …" : "")); the round fails")
        }
    }

    func requireHolders(of nodes: Set<UInt64>, within alive: Set<UInt64>, countSelf: Bool) throws {
        try requireHolders([(nodes, countSelf)], within: alive)
    }

    // MARK: Round 1

    /// Accepts a node's commitment and sealed share boxes.
    /// - Throws: ``SecureAggregationError`` (`unexpectedMessage`): wrong stage, sender not in U1,
    ///   a second message, a commitment that is not 32 bytes, receivers that are not exactly the
    ///   node's neighbours in U1 in increasing order, or a box of the wrong size.
    public mutating func receive(_ message: ShareKeysMessage, from node: UInt64) throws {
        try checkIncoming(.shareKeys, sender: message.sender, from: node, what: "ShareKeys message",
                          allowed: { self.advertised[$0] != nil }, already: shareMessages[node] != nil)
        guard message.selfMaskCommitment.count == 32 else {
            throw failure(.unexpectedMessage, [node], "self-mask commitment from node \(node) is \(message.selfMaskCommitment.count) bytes, expected 32")
        }
        let expected = configuration.neighbours(of: node).filter { advertised[$0] != nil }
        let got = message.boxes.map(\.peer)
        guard got == expected else {
            throw failure(.unexpectedMessage, [node], "share boxes from node \(node) are addressed to \(got.count) node(s) \(got.prefix(8)); expected exactly its \(expected.count) neighbours that advertised keys, in increasing order")
        }
        let boxBytes = KeySchedule.sharePlaintextBytes + ChaChaPolyBox.overhead
        if let bad = message.boxes.first(where: { $0.box.count != boxBytes }) {
            throw failure(.unexpectedMessage, [node], "share box from node \(node) to node \(bad.peer) is \(bad.box.count) bytes, expected \(boxBytes)")
        }
        shareMessages[node] = message
    }

    /// Closes ShareKeys (U2 = the nodes whose boxes arrived) and returns, for each node in U2, the
    /// boxes its neighbours in U2 sealed for it.
    /// - Throws: ``SecureAggregationError`` (`thresholdNotMet`) naming every node of U2 with fewer than
    ///   t share holders in U2; the round fails.
    public mutating func finishShareKeys() throws -> [UInt64: MaskedInputRequest] {
        guard stage == .shareKeys else { throw failure(.unexpectedMessage, [], "finishShareKeys called in the \(stage) stage") }
        return try finishing { s in
            let u2 = Set(s.shareMessages.keys)
            try s.requireHolders(of: u2, within: u2, countSelf: true)
            var inbox = [UInt64: [SealedShares]]()
            for sender in u2.sorted() {
                for box in s.shareMessages[sender]!.boxes where u2.contains(box.peer) {
                    inbox[box.peer, default: []].append(SealedShares(peer: sender, box: box.box))
                }
            }
            for (node, message) in s.shareMessages { s.commitments[node] = message.selfMaskCommitment }
            s.sharers = u2
            s.shareMessages = [:]
            s.accumulator = [UInt32](repeating: 0, count: s.configuration.vectorLength)
            s.stage = .maskedInputCollection
            var out = [UInt64: MaskedInputRequest]()
            for node in u2 { out[node] = MaskedInputRequest(boxes: inbox[node] ?? []) }
            return out
        }
    }

    // MARK: Round 2

    /// Adds a node's masked input into the running sum (mod 2^b).
    /// - Throws: ``SecureAggregationError`` (`unexpectedMessage`): wrong stage, sender not in U2, a
    ///   second message, a length other than m, or a word ≥ 2^b.
    public mutating func receive(_ message: MaskedInputMessage, from node: UInt64) throws {
        try checkIncoming(.maskedInputCollection, sender: message.sender, from: node, what: "masked input",
                          allowed: sharers.contains, already: maskedSenders.contains(node))
        let c = configuration
        guard message.words.count == c.vectorLength else {
            throw failure(.unexpectedMessage, [node], "masked input from node \(node) has \(message.words.count) words, expected \(c.vectorLength)")
        }
        let mask = c.wordMask
        if c.bitWidth < 32, let i = message.words.firstIndex(where: { $0 > mask }) {
            throw failure(.unexpectedMessage, [node], "masked word \(i) from node \(node) is \(message.words[i]), expected < 2^\(c.bitWidth)")
        }
        accumulator.withUnsafeMutableBufferPointer { acc in
            message.words.withUnsafeBufferPointer { w in
                for i in 0..<acc.count { acc[i] = (acc[i] &+ w[i]) & mask }
            }
        }
        maskedSenders.insert(node)
    }

    /// Closes MaskedInputCollection (U3 = the nodes whose masked input arrived) and returns each
    /// survivor's Unmasking request: its neighbours in U3 (and itself), whose b-shares are needed,
    /// and its neighbours in U2 \ U3, whose s-shares are needed.
    /// - Throws: ``SecureAggregationError`` (`thresholdNotMet`) naming every survivor with fewer than t
    ///   holders in U3, and every dropped node (with survivors among its neighbours) with fewer than
    ///   t holders in U3; the round fails.
    public mutating func finishMaskedInputCollection() throws -> [UInt64: UnmaskingRequest] {
        guard stage == .maskedInputCollection else { throw failure(.unexpectedMessage, [], "finishMaskedInputCollection called in the \(stage) stage") }
        return try finishing { s in
            let u3 = s.maskedSenders
            guard !u3.isEmpty else { throw s.failure(.thresholdNotMet, [], "no masked inputs arrived; the round fails") }
            let dropped = s.sharers.subtracting(u3)
            let needed = dropped.filter { v in s.configuration.neighbours(of: v).contains(where: u3.contains) }
            try s.requireHolders([(u3, true), (needed, false)], within: u3)
            var out = [UInt64: UnmaskingRequest]()
            for u in u3 {
                let ns = s.configuration.neighbours(of: u)
                let survivors = (ns.filter(u3.contains) + [u]).sorted()
                let gone = ns.filter(dropped.contains)
                out[u] = UnmaskingRequest(survivors: survivors, dropped: gone)
            }
            s.unmaskingRequests = out
            s.stage = .unmasking
            return out
        }
    }

    // MARK: Round 4

    /// Accepts a survivor's revealed shares.
    /// - Throws: ``SecureAggregationError`` (`unexpectedMessage`): wrong stage, sender not in U3, a
    ///   second message, or shares for other nodes than requested (owners and order must match).
    public mutating func receive(_ message: UnmaskingMessage, from node: UInt64) throws {
        try checkIncoming(.unmasking, sender: message.sender, from: node, what: "Unmasking message",
                          allowed: maskedSenders.contains, already: unmaskers.contains(node))
        let request = unmaskingRequests[node]!
        guard message.selfMaskShares.map(\.owner) == request.survivors else {
            throw failure(.unexpectedMessage, [node], "node \(node) sent self-mask shares for \(message.selfMaskShares.count) node(s) other than the \(request.survivors.count) requested")
        }
        guard message.maskKeyShares.map(\.owner) == request.dropped else {
            throw failure(.unexpectedMessage, [node], "node \(node) sent mask-key shares for \(message.maskKeyShares.count) node(s) other than the \(request.dropped.count) requested")
        }
        if let bad = (message.selfMaskShares + message.maskKeyShares).first(where: { $0.limbs.count != ShamirSecretSharing.limbCount }) {
            throw failure(.unexpectedMessage, [node], "share of node \(bad.owner) from node \(node) has \(bad.limbs.count) limbs, expected \(ShamirSecretSharing.limbCount)")
        }
        let x = configuration.point(of: node)
        for r in message.selfMaskShares { selfMaskShares[r.owner, default: []].append(ShamirShare(x: x, limbs: r.limbs)) }
        for r in message.maskKeyShares { maskKeyShares[r.owner, default: []].append(ShamirShare(x: x, limbs: r.limbs)) }
        unmaskers.insert(node)
    }

    /// Closes Unmasking: reconstructs b_u of every survivor (checked against its commitment) and
    /// s_v^SK of every dropped node with surviving neighbours (checked against its advertised s^PK),
    /// removes their masks, and returns Σ_{u ∈ U3} x_u mod 2^b.
    /// - Throws: ``SecureAggregationError``: `thresholdNotMet` naming every node whose secret has
    ///   fewer than t shares; `verificationFailed` for a reconstruction that does not match its
    ///   commitment or public key. The round fails and no sum is returned.
    public mutating func finishUnmasking() throws -> [UInt32] {
        guard stage == .unmasking else { throw failure(.unexpectedMessage, [], "finishUnmasking called in the \(stage) stage") }
        return try finishing { s in try s.unmask() }
    }

    mutating func unmask() throws -> [UInt32] {
        let c = configuration
        let u3 = maskedSenders.sorted()
        let dropped = sharers.subtracting(maskedSenders).filter { v in c.neighbours(of: v).contains(where: maskedSenders.contains) }.sorted()
        let short = u3.filter { (selfMaskShares[$0]?.count ?? 0) < c.threshold } + dropped.filter { (maskKeyShares[$0]?.count ?? 0) < c.threshold }
        guard short.isEmpty else {
            throw failure(.thresholdNotMet, short.sorted(),
                          "fewer than t = \(c.threshold) shares arrived for \(short.count) secret(s) needed to unmask; the round fails")
        }
        // Reconstruct and verify everything before touching the sum.
        var selfKeys = [[UInt8]]()
        for u in u3 {
            let seed: [UInt8]
            do {
                seed = try ShamirSecretSharing.reconstruct(selfMaskShares[u]!, threshold: c.threshold, source: "self-mask seed of node \(u)")
            } catch {
                throw failure(.verificationFailed, [u], "reconstructing the self-mask seed of node \(u) failed", cause: error)
            }
            guard KeySchedule.commitment(seed: seed, node: u, session: sessionID) == commitments[u] else {
                throw failure(.verificationFailed, [u], "reconstructed self-mask seed of node \(u) does not match its commitment")
            }
            selfKeys.append(KeySchedule.selfMaskKey(seed: seed, node: u, session: sessionID))
        }
        var droppedKeys = [(UInt64, X25519PrivateKey)]()
        for v in dropped {
            let key: X25519PrivateKey
            do {
                let raw = try ShamirSecretSharing.reconstruct(maskKeyShares[v]!, threshold: c.threshold, source: "mask key of node \(v)")
                key = try X25519PrivateKey(rawRepresentation: raw, source: "mask key of node \(v)")
            } catch {
                throw failure(.verificationFailed, [v], "reconstructing the mask key of dropped node \(v) failed", cause: error)
            }
            guard key.publicKey == advertised[v]!.maskingKey else {
                throw failure(.verificationFailed, [v], "reconstructed mask key of node \(v) does not match its advertised public key")
            }
            droppedKeys.append((v, key))
        }
        var sum = accumulator
        do {
            for k in selfKeys {
                try MaskStream(seed: k, nonce: KeySchedule.maskNonce(pairwise: false), bitWidth: c.bitWidth).subtract(from: &sum)
            }
            for (v, key) in droppedKeys {
                for u in c.neighbours(of: v) where maskedSenders.contains(u) {
                    let seed = try KeySchedule.pairwiseMaskSeed(mine: key, me: v, peer: u, peerKey: advertised[u]!.maskingKey,
                                                                session: sessionID, stage: .unmasking)
                    let stream = try MaskStream(seed: seed, nonce: KeySchedule.maskNonce(pairwise: true), bitWidth: c.bitWidth)
                    // u added +PRG(s_uv) if u > v and −PRG(s_uv) otherwise; remove that term.
                    if u > v { stream.subtract(from: &sum) } else { stream.add(to: &sum) }
                }
            }
        } catch let error as SecureAggregationError {
            throw error
        } catch {
            throw failure(.verificationFailed, [], "mask expansion failed", cause: error)
        }
        stage = .completed
        accumulator = []
        return sum
    }
}
