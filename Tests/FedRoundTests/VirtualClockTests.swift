import FedFusion
import Synchronization
import Testing
@testable import FedRound

/// A clock in virtual time: a sleep returns at once and moves the clock's time forward to its
/// deadline. (A digital twin would order the sleepers; one sleeper at a time suffices here.)
final class VirtualClock: Clock, Sendable {
    struct Instant: InstantProtocol {
        var offset: Duration
        func advanced(by d: Duration) -> Instant { Instant(offset: offset + d) }
        func duration(to other: Instant) -> Duration { other.offset - offset }
        static func < (a: Instant, b: Instant) -> Bool { a.offset < b.offset }
    }

    private let current = Mutex<Duration>(.zero)
    var now: Instant { Instant(offset: current.withLock { $0 }) }
    var minimumResolution: Duration { .zero }

    func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        try Task.checkCancellation()
        current.withLock { $0 = max($0, deadline.offset) }
    }
}

@Suite struct VirtualClockTests {
    /// The engine measures rounds on its injected clock: a node that takes 90 virtual seconds
    /// gives a 90-second round, at once.
    @Test func roundTimeComesFromTheInjectedClock() async throws {
        let clock = VirtualClock()
        let node = FakeNodes.custom("a") { task in
            try await clock.sleep(for: .seconds(90))
            return .update(nodeID: "a", round: task.round, delta: [1], sampleCount: 1)
        }
        var runner = try FederationRunner(channels: [node], initialParameters: [0], strategy: TestMeanStrategy(),
                                          policy: testPolicy(perRound: 1), clock: clock)
        let m = try await runner.runRound()
        // Exactly 90: measured on the virtual clock (a wall clock would add the round's real time).
        #expect(m.seconds == 90)
        #expect(runner.global == [1])
    }
}
