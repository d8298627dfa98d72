import FedFusion
import FedTensor
import Testing
@testable import FedRound

@Suite struct RoundStateMachineTests {
    typealias Machine = RoundStateMachine<FloatMeanAccumulator>

    static func machine(_ nodes: [String], quorum: Quorum = .all, maxInFlight: Int = 8, reorder: Int? = nil, window: Bool = false) -> Machine {
        Machine(configuration: .init(round: 3, version: 2, selected: nodes, parameterCount: 2, quorum: quorum, hasTimeWindow: window,
                                     maxInFlight: maxInFlight, reorderCapacity: reorder),
                accumulator: FloatMeanAccumulator(parameterCount: 2))
    }

    static func reply(_ id: String, _ delta: [Float] = [1, 1], round: Int = 3) -> TrainingReply {
        .update(nodeID: id, round: round, delta: delta, sampleCount: 1)
    }

    static func dispatched(_ actions: [Machine.Action]) -> [String] {
        actions.compactMap { if case .dispatch(let id) = $0 { id } else { nil } }
    }

    /// The tally of a successful finish among `actions`.
    static func tally(_ actions: [Machine.Action]) -> RoundTally? {
        for case .finish(let t) in actions {
            if case .success = t.outcome { return t }
        }
        return nil
    }

    /// The error of a failed finish among `actions`.
    static func failure(_ actions: [Machine.Action]) -> RoundError? {
        for case .finish(let t) in actions {
            if case .failure(let e) = t.outcome { return e }
        }
        return nil
    }

    static func fused(_ t: RoundTally) -> [Float]? { try? t.outcome.get() }

    @Test func unselectedDuplicateAndUnsolicitedRepliesAreRejected() throws {
        var m = Self.machine(["a", "b", "c"], quorum: .count(2), maxInFlight: 2)
        #expect(Self.dispatched(m.receive(.start)) == ["a", "b"])
        #expect(m.receive(.replied(Self.reply("z"), from: "z")).isEmpty)           // not selected
        #expect(m.receive(.replied(Self.reply("c"), from: "c")).isEmpty)           // selected, not yet asked
        #expect(Self.dispatched(m.receive(.replied(Self.reply("a", [2, 2]), from: "a"))) == ["c"])
        #expect(m.receive(.replied(Self.reply("a", [50, 50]), from: "a")).isEmpty) // duplicate
        _ = m.receive(.replied(Self.reply("b", [4, 4]), from: "b"))
        let t = try #require(Self.tally(m.receive(.replied(Self.reply("c", [6, 6]), from: "c"))))
        #expect(t.rejected.map(\.reason) == [.duplicate, .unsolicited, .notSelected])  // selection order; unselected last
        #expect(t.rejected.map(\.nodeID) == ["a", "c", "z"])
        #expect(Self.fused(t) == [4, 4])  // (2 + 4 + 6) / 3: the duplicate's 50 never counted
        #expect(t.failures.isEmpty)      // the first answers of a and c stand
        #expect(m.isFinished && m.receive(.replied(Self.reply("b"), from: "b")).isEmpty)
    }

    @Test func foldsInSelectionOrderWhateverTheArrivalOrder() throws {
        var m = Self.machine(["a", "b", "c", "d"], quorum: .count(3))
        #expect(Self.dispatched(m.receive(.start)) == ["a", "b", "c", "d"])
        _ = m.receive(.replied(Self.reply("d"), from: "d"))
        _ = m.receive(.replied(Self.reply("b"), from: "b"))
        #expect(m.bufferedCount == 2)
        _ = m.receive(.failed(nodeID: "c", reason: "gone"))
        let t = try #require(Self.tally(m.receive(.replied(Self.reply("a"), from: "a"))))
        #expect(t.participants == ["a", "b", "d"])
        #expect(t.failures == [NodeFailure(nodeID: "c", reason: "gone")])
    }

    /// With a reorder window of 2, a straggler at the head holds back dispatch: at most one
    /// update waits in the buffer.
    @Test func reorderBufferIsBounded() {
        var m = Self.machine(["a", "b", "c", "d", "e"], maxInFlight: 2, reorder: 2)
        #expect(Self.dispatched(m.receive(.start)) == ["a", "b"])
        #expect(Self.dispatched(m.receive(.replied(Self.reply("b"), from: "b"))).isEmpty)  // c waits for a
        #expect(m.bufferedCount == 1)
        #expect(Self.dispatched(m.receive(.replied(Self.reply("a"), from: "a"))) == ["c", "d"])
        #expect(m.bufferedCount == 0)
    }

    @Test func declinedNodeIsAFailureNotARejection() throws {
        var m = Self.machine(["a", "b"], quorum: .count(1))
        _ = m.receive(.start)
        _ = m.receive(.replied(TrainingReply(nodeID: "a", round: 3, outcome: .declined(reason: "global is worse")), from: "a"))
        let t = try #require(Self.tally(m.receive(.replied(Self.reply("b"), from: "b"))))
        #expect(t.failures == [NodeFailure(nodeID: "a", reason: "declined: global is worse")])
        #expect(t.rejected.isEmpty && t.participants == ["b"])
    }

    @Test func failsAsSoonAsTheQuorumIsOutOfReach() {
        var m = Self.machine(["a", "b", "c"], quorum: .count(3))
        _ = m.receive(.start)
        let actions = m.receive(.failed(nodeID: "b", reason: "disconnected"))
        guard let error = Self.failure(actions) else {
            Issue.record("expected a failed finish, got \(actions)")
            return
        }
        #expect(error.code == .quorumNotMet)
        #expect(error.message.contains("needed 3 usable updates from the 3 selected nodes, got 0"))
        #expect(error.message.contains("b (disconnected)"))
    }

    @Test func windowWaitsForTheQuorumThenClosesTheRound() throws {
        var m = Self.machine(["a", "b", "c"], quorum: .count(2), maxInFlight: 2, window: true)
        _ = m.receive(.start)
        #expect(m.receive(.windowElapsed).isEmpty)  // nobody has answered: keep waiting
        _ = m.receive(.replied(Self.reply("a"), from: "a"))
        let t = try #require(Self.tally(m.receive(.replied(Self.reply("c"), from: "c"))))
        #expect(t.participants == ["a", "c"])
        #expect(t.failures.map(\.nodeID) == ["b"])
        #expect(t.failures[0].reason == "did not finish within the round's time window")
    }

    @Test func bytesAndVersionAreCounted() throws {
        var m = Self.machine(["a", "b"])
        _ = m.receive(.start)
        // A wrong length under quorum .all: the round fails at once.
        let actions = m.receive(.replied(Self.reply("a", [1, 2, 3]), from: "a"))
        guard let error = Self.failure(actions) else {
            Issue.record("quorum .all with one rejection must fail")
            return
        }
        #expect(error.message.contains("a (rejected: the delta has 3 values; expected 2)"))
        var ok = Self.machine(["a"])
        _ = ok.receive(.start)
        let t = try #require(Self.tally(ok.receive(.replied(Self.reply("a"), from: "a"))))
        #expect(t.bytesDown == 8 && t.bytesUp == 8 && t.version == 2 && t.round == 3)
    }
}

@Suite struct RoundPartsTests {
    @Test(arguments: [
        (Quorum.all, 10, 10), (.fraction(0.5), 10, 5), (.fraction(0.51), 10, 6), (.fraction(0.01), 10, 1),
        (.count(3), 10, 3), (.count(30), 10, 10), (.all, 1, 1), (.fraction(1), 7, 7),
    ])
    func quorumRequired(quorum: Quorum, selected: Int, required: Int) {
        #expect(quorum.required(selected: selected) == required)
    }

    @Test func selectionIsSeededDistinctAndSorted() {
        var r1 = SeededRandom(seed: 5), r2 = SeededRandom(seed: 5)
        let a = NodeSelection.sample(100, from: 10_000, rng: &r1)
        #expect(a == NodeSelection.sample(100, from: 10_000, rng: &r2))
        #expect(Set(a).count == 100 && a == a.sorted() && a.allSatisfy { $0 >= 0 && $0 < 10_000 })
        var r3 = SeededRandom(seed: 6)
        #expect(NodeSelection.sample(100, from: 10_000, rng: &r3) != a)
        #expect(NodeSelection.sample(4, from: 4, rng: &r3) == [0, 1, 2, 3])
    }

    @Test func nonFiniteScanFindsTheFirstBadValue() {
        #expect(UpdateValidator.firstNonFinite([1, 2, 3]) == nil)
        #expect(UpdateValidator.firstNonFinite([1, .nan, .infinity]) == 1)
        #expect(UpdateValidator.firstNonFinite([-.infinity]) == 0)
        #expect(UpdateValidator.firstNonFinite([.greatestFiniteMagnitude, -.greatestFiniteMagnitude, .leastNonzeroMagnitude]) == nil)
        #expect(UpdateValidator.firstNonFinite([]) == nil)
    }

    @Test func metricsRenderAsOneJSONLine() {
        let m = RoundMetrics(round: 2, version: 2, selected: 3, participants: ["a", "b"],
                             rejected: [RejectedUpdate(nodeID: "c", round: 2, reason: .nonFinite, detail: "element 0 is \"nan\"")],
                             failures: [NodeFailure(nodeID: "c", reason: "rejected")], samples: 40, trainLoss: 0.25,
                             testLoss: nil, testAccuracy: 0.5, bytesDown: 24, bytesUp: 24, seconds: 1.5)
        #expect(m.jsonLine == #"{"round":2,"version":2,"selected":3,"participants":2,"rejected":1,"failures":1,"samples":40,"#
            + #""train_loss":0.25,"test_loss":null,"test_accuracy":0.5,"bytes_down":24,"bytes_up":24,"seconds":1.5,"#
            + #""rejected_reasons":["c: non_finite: element 0 is \"nan\""],"failure_reasons":["c: rejected"]}"#)
        #expect(MetricValue.number(.nan).json == "null")
        #expect(MetricValue.string("a\u{1}").json == #""a\u0001""#)
    }

    @Test func inProcessChannelWithoutEvaluatorSaysUnsupported() async {
        let channel = FakeNodes.throwing("a")
        await #expect(throws: RoundError.self) { _ = try await channel.evaluate(EvaluationTask(round: 1, version: 0, parameters: [0])) }
    }
}
