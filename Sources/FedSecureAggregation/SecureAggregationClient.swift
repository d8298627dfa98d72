import FedCrypto

/// The client (node) side of SecAgg+ as an I/O-free value-type state machine. Drive it with the
/// server's messages in order:
///
/// ```
/// var client = try SecureAggregationClient(configuration: config, node: id)
/// let keys    = try client.advertiseKeys()                 // → server
/// let shares  = try client.receive(shareKeysRequest)       // → server
/// let masked  = try client.receive(maskedInputRequest, input: words)  // → server
/// let reveal  = try client.receive(unmaskingRequest)       // → server
/// ```
///
/// Every call validates what arrives (stage, ids, sizes, duplicate keys, thresholds, box
/// authentication) and throws a ``SecureAggregationError`` naming the stage and node(s); after an
/// error the client is `failed` and refuses everything. In Unmasking it never reveals both the
/// self-mask share and the mask-key share of one peer, and never reveals anything about itself as
/// dropped.
///
/// Secrets (private keys, b_u, received shares) are held as plain byte arrays in the value; they are
/// not zeroized when dropped.
public struct SecureAggregationClient: Sendable {
    /// The round's configuration.
    public let configuration: SecureAggregationConfiguration
    /// This node's id.
    public let node: UInt64
    /// The stage whose server message the client expects next (`advertiseKeys` before
    /// ``advertiseKeys()``), or `completed` / `failed`.
    public private(set) var stage: SecureAggregationStage = .advertiseKeys

    let encryptionKey = X25519PrivateKey()
    let maskingKey = X25519PrivateKey()
    let neighbourSet: Set<UInt64>
    var sessionID: [UInt8] = []
    var peerKeys: [UInt64: AdvertisedKeys] = [:]
    var selfMaskSeed: [UInt8] = []
    /// Shares held for each owner (self included): (mask-key share, self-mask share).
    var heldShares: [UInt64: (maskKey: ShamirShare, selfMask: ShamirShare)] = [:]
    var advertised = false

    /// Creates a client with two fresh X25519 key pairs from the system CSPRNG.
    /// - Throws: ``SecureAggregationError`` (`invalidConfiguration`) when `node` is not a participant.
    public init(configuration: SecureAggregationConfiguration, node: UInt64) throws {
        guard configuration.contains(node) else {
            throw SecureAggregationError(.invalidConfiguration, stage: .setup, nodes: [node], "node \(node) is not a participant of this round")
        }
        self.configuration = configuration
        self.node = node
        self.neighbourSet = Set(configuration.neighbours(of: node))
    }

    func failure(_ code: SecureAggregationError.Code, _ nodes: [UInt64], _ message: String, cause: (any Error)? = nil) -> SecureAggregationError {
        SecureAggregationError(code, stage: stage, nodes: nodes, "client \(node): \(message)", cause: cause)
    }

    mutating func guarded<T>(_ expected: SecureAggregationStage, _ what: String, _ body: (inout Self) throws -> T) throws -> T {
        guard stage == expected else {
            throw failure(.unexpectedMessage, [node], "got \(what) while expecting the \(stage) stage's message")
        }
        do {
            return try body(&self)
        } catch {
            stage = .failed
            throw error
        }
    }

    /// Round 0: this node's public keys.
    /// - Throws: ``SecureAggregationError`` when called twice or after a failure.
    public mutating func advertiseKeys() throws -> AdvertiseKeysMessage {
        guard stage == .advertiseKeys, !advertised else {
            throw failure(.unexpectedMessage, [node], "keys already advertised (stage \(stage))")
        }
        advertised = true
        stage = .shareKeys
        return AdvertiseKeysMessage(sender: node, encryptionKey: encryptionKey.publicKey, maskingKey: maskingKey.publicKey)
    }

    /// Round 1: checks the advertised key list, computes the session id, draws b_u and sends
    /// sealed shares of s_u^SK and b_u to every neighbour in the list.
    /// - Throws: ``SecureAggregationError``: `unexpectedMessage` for a wrong stage, unsorted or
    ///   unknown ids, a missing or altered own entry, or duplicate keys; `thresholdNotMet` when fewer
    ///   than t share holders (neighbours plus self) advertised; `verificationFailed` for a
    ///   neighbour key that yields an all-zero shared secret.
    public mutating func receive(_ request: ShareKeysRequest) throws -> ShareKeysMessage {
        try guarded(.shareKeys, "a ShareKeys request") { me in try me.handleShareKeys(request) }
    }

    mutating func handleShareKeys(_ request: ShareKeysRequest) throws -> ShareKeysMessage {
        let c = configuration
        var previous: UInt64? = nil
        var seenKeys = [X25519PublicKey: UInt64]()
        var mine: AdvertisedKeys? = nil
        for entry in request.keys {
            guard c.contains(entry.node) else { throw failure(.unexpectedMessage, [entry.node], "key list names node \(entry.node), which is not a participant") }
            if let p = previous, entry.node <= p {
                throw failure(.unexpectedMessage, [entry.node], "key list must be strictly increasing by node id; \(entry.node) follows \(p)")
            }
            previous = entry.node
            for key in [entry.encryptionKey, entry.maskingKey] {
                if let other = seenKeys[key] {
                    throw failure(.unexpectedMessage, [other, entry.node].sorted(), "duplicate public key in the key list (nodes \(other) and \(entry.node))")
                }
                seenKeys[key] = entry.node
            }
            if entry.node == node { mine = entry }
        }
        guard let own = mine else { throw failure(.unexpectedMessage, [node], "key list does not contain this node") }
        guard own.encryptionKey == encryptionKey.publicKey, own.maskingKey == maskingKey.publicKey else {
            throw failure(.unexpectedMessage, [node], "key list carries different public keys for this node than it advertised")
        }
        let peers = request.keys.filter { neighbourSet.contains($0.node) }
        guard peers.count + 1 >= c.threshold else {
            throw failure(.thresholdNotMet, [node], "only \(peers.count + 1) share holders (neighbours that advertised, plus itself), threshold \(c.threshold)")
        }
        sessionID = KeySchedule.sessionID(c, keys: request.keys)
        for p in peers { peerKeys[p.node] = p }

        selfMaskSeed = SecureRandom.bytes(32)
        let holders = ([node] + peers.map(\.node)).sorted()
        let points = holders.map { c.point(of: $0) }
        let maskKeyShares: [ShamirShare]
        let selfMaskShares: [ShamirShare]
        do {
            maskKeyShares = try ShamirSecretSharing.split(secret: maskingKey.rawRepresentation, threshold: c.threshold, points: points)
            selfMaskShares = try ShamirSecretSharing.split(secret: selfMaskSeed, threshold: c.threshold, points: points)
        } catch {
            throw failure(.invalidConfiguration, [node], "Shamir split failed", cause: error)
        }
        var boxes = [SealedShares]()
        boxes.reserveCapacity(peers.count)
        for (i, holder) in holders.enumerated() {
            if holder == node {
                heldShares[node] = (maskKeyShares[i], selfMaskShares[i])
                continue
            }
            let peer = peerKeys[holder]!
            let key = try KeySchedule.shareKey(mine: encryptionKey, sender: node, receiver: holder, peer: holder,
                                               peerKey: peer.encryptionKey, session: sessionID, stage: .shareKeys)
            let plaintext = KeySchedule.u64(node) + KeySchedule.u64(holder) + maskKeyShares[i].encodedLimbs() + selfMaskShares[i].encodedLimbs()
            let aad = KeySchedule.shareAAD(session: sessionID, sender: node, receiver: holder, round: c.roundID)
            let box: [UInt8]
            do {
                box = try ChaChaPolyBox.seal(plaintext, key: key, authenticating: aad)
            } catch {
                throw failure(.verificationFailed, [holder], "sealing shares for node \(holder) failed", cause: error)
            }
            boxes.append(SealedShares(peer: holder, box: box))
        }
        stage = .maskedInputCollection
        return ShareKeysMessage(sender: node, selfMaskCommitment: KeySchedule.commitment(seed: selfMaskSeed, node: node, session: sessionID), boxes: boxes)
    }

    /// Round 2: opens the share boxes from neighbours that completed ShareKeys, then masks `input`:
    /// y = x + PRG(b_u) + Σ_{v in U2 ∩ N(u)} ±PRG(s_uv) mod 2^b (+ when u > v).
    /// - Parameters:
    ///   - request: the server's forwarded boxes.
    ///   - input: the encoded input, m words each < 2^b (see ``UpdateQuantizer``).
    /// - Throws: ``SecureAggregationError``: `invalidInput` for a wrong length or an out-of-range
    ///   word; `unexpectedMessage` for unsorted, unknown, non-neighbour or own sender ids;
    ///   `thresholdNotMet` with fewer than t holders left; `verificationFailed` for a box that does
    ///   not authenticate or carries the wrong ids.
    public mutating func receive(_ request: MaskedInputRequest, input: [UInt32]) throws -> MaskedInputMessage {
        try guarded(.maskedInputCollection, "a MaskedInputCollection request") { me in try me.handleMaskedInput(request, input: input) }
    }

    mutating func handleMaskedInput(_ request: MaskedInputRequest, input: [UInt32]) throws -> MaskedInputMessage {
        let c = configuration
        guard input.count == c.vectorLength else {
            throw failure(.invalidInput, [node], "input has \(input.count) words, expected \(c.vectorLength)")
        }
        let mask = c.wordMask
        if c.bitWidth < 32, let i = input.firstIndex(where: { $0 > mask }) {
            throw failure(.invalidInput, [node], "input word \(i) is \(input[i]), expected < 2^\(c.bitWidth)")
        }
        var previous: UInt64? = nil
        for entry in request.boxes {
            guard peerKeys[entry.peer] != nil else {
                throw failure(.unexpectedMessage, [entry.peer], "share box from node \(entry.peer), which is not a neighbour that advertised keys")
            }
            if let p = previous, entry.peer <= p {
                throw failure(.unexpectedMessage, [entry.peer], "share boxes must be strictly increasing by sender; \(entry.peer) follows \(p)")
            }
            previous = entry.peer
        }
        guard request.boxes.count + 1 >= c.threshold else {
            throw failure(.thresholdNotMet, [node], "only \(request.boxes.count + 1) share holders completed ShareKeys, threshold \(c.threshold)")
        }
        let myPoint = c.point(of: node)
        var opened = [UInt64: (maskKey: ShamirShare, selfMask: ShamirShare)]()
        for entry in request.boxes {
            let sender = entry.peer
            let key = try KeySchedule.shareKey(mine: encryptionKey, sender: sender, receiver: node, peer: sender,
                                               peerKey: peerKeys[sender]!.encryptionKey, session: sessionID, stage: .maskedInputCollection)
            let aad = KeySchedule.shareAAD(session: sessionID, sender: sender, receiver: node, round: c.roundID)
            let plaintext: [UInt8]
            do {
                plaintext = try ChaChaPolyBox.open(entry.box, key: key, authenticating: aad, source: "shares from node \(sender) to node \(node)")
            } catch {
                throw failure(.verificationFailed, [sender], "share box from node \(sender) did not authenticate", cause: error)
            }
            guard plaintext.count == KeySchedule.sharePlaintextBytes,
                  Array(plaintext[0..<8]) == KeySchedule.u64(sender), Array(plaintext[8..<16]) == KeySchedule.u64(node) else {
                throw failure(.verificationFailed, [sender], "share box from node \(sender) carries the wrong sender/receiver ids or size")
            }
            do {
                let s = try ShamirShare(x: myPoint, limbBytes: Array(plaintext[16..<56]), source: "mask-key share from node \(sender)")
                let b = try ShamirShare(x: myPoint, limbBytes: Array(plaintext[56..<96]), source: "self-mask share from node \(sender)")
                opened[sender] = (s, b)
            } catch {
                throw failure(.verificationFailed, [sender], "share box from node \(sender) holds an invalid share", cause: error)
            }
        }
        for (k, v) in opened { heldShares[k] = v }

        var y = input
        do {
            let selfStream = try MaskStream(seed: KeySchedule.selfMaskKey(seed: selfMaskSeed, node: node, session: sessionID),
                                            nonce: KeySchedule.maskNonce(pairwise: false), bitWidth: c.bitWidth)
            selfStream.add(to: &y)
            for entry in request.boxes {
                let v = entry.peer
                let seed = try KeySchedule.pairwiseMaskSeed(mine: maskingKey, me: node, peer: v, peerKey: peerKeys[v]!.maskingKey,
                                                            session: sessionID, stage: .maskedInputCollection)
                let stream = try MaskStream(seed: seed, nonce: KeySchedule.maskNonce(pairwise: true), bitWidth: c.bitWidth)
                if node > v { stream.add(to: &y) } else { stream.subtract(from: &y) }
            }
        } catch let error as SecureAggregationError {
            throw error
        } catch {
            throw failure(.invalidConfiguration, [node], "mask expansion failed", cause: error)
        }
        stage = .unmasking
        return MaskedInputMessage(sender: node, words: y)
    }

    /// Round 4: reveals b-shares of the listed survivors and s-shares of the listed dropped nodes.
    /// - Throws: ``SecureAggregationError``: `refusedRequest` when a node is listed both as survivor
    ///   and dropped, when this node is listed as dropped or not listed as survivor, or when fewer
    ///   than t survivors are listed; `unexpectedMessage` for unsorted ids or ids it holds no
    ///   shares of (not a neighbour that completed ShareKeys).
    public mutating func receive(_ request: UnmaskingRequest) throws -> UnmaskingMessage {
        try guarded(.unmasking, "an Unmasking request") { me in try me.handleUnmasking(request) }
    }

    mutating func handleUnmasking(_ request: UnmaskingRequest) throws -> UnmaskingMessage {
        for (list, name) in [(request.survivors, "survivor"), (request.dropped, "dropped")] {
            for i in list.indices.dropFirst() where list[i] <= list[i - 1] {
                throw failure(.unexpectedMessage, [list[i]], "\(name) list must be strictly increasing; \(list[i]) follows \(list[i - 1])")
            }
        }
        let both = Set(request.survivors).intersection(request.dropped)
        guard both.isEmpty else {
            throw failure(.refusedRequest, both.sorted(),
                          "the server asked for both the self-mask share and the mask-key share of node(s) \(both.sorted().map(String.init).joined(separator: ", ")); revealing both would unmask their input")
        }
        guard !request.dropped.contains(node) else {
            throw failure(.refusedRequest, [node], "the server lists this node as dropped, but it sent its masked input; its mask key is never revealed")
        }
        guard request.survivors.contains(node) else {
            throw failure(.refusedRequest, [node], "the survivor list does not include this node itself")
        }
        guard request.survivors.count >= configuration.threshold else {
            throw failure(.refusedRequest, [node], "only \(request.survivors.count) survivors listed, fewer than the threshold \(configuration.threshold)")
        }
        for id in request.survivors + request.dropped where heldShares[id] == nil {
            throw failure(.unexpectedMessage, [id], "asked for a share of node \(id), which did not share with this node")
        }
        let b = request.survivors.map { RevealedShare(owner: $0, limbs: heldShares[$0]!.selfMask.limbs) }
        let s = request.dropped.map { RevealedShare(owner: $0, limbs: heldShares[$0]!.maskKey.limbs) }
        stage = .completed
        return UnmaskingMessage(sender: node, selfMaskShares: b, maskKeyShares: s)
    }
}
