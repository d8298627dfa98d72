import CFedKernels
import Dispatch
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Persistent worker threads that run one parallel job at a time, for jobs as short as ~20 µs.
///
/// A job is `tasks` calls of a body, `body(0) ... body(tasks - 1)`, claimed one by one by the
/// calling thread and by up to `participants - 1` workers. After a job a worker spins for
/// `spinMicroseconds` waiting for the next one (so back-to-back GEMMs find it hot), then sleeps
/// on its own semaphore. `DispatchQueue.concurrentPerform` wakes threads too slowly for such
/// jobs: at 32×784×200 it left the second core idle (PERFORMANCE-NOTES: 126 vs 210 GFLOP/s).
///
/// One caller at a time owns the pool (a try-lock): `run` returns `false` at once when another
/// thread's job is in progress, and that caller does its work itself. Jobs never interleave and
/// a caller never waits for another caller, so concurrent and nested callers cannot deadlock.
///
/// Protocol. `state` packs the job's generation (high bits) with the index of the next unclaimed
/// task (low 24 bits). A participant claims a task by a compare-and-swap that also checks the
/// generation, so a worker that wakes late for an older job can never claim a task of a newer
/// one. The owner returns only after `finished == tasks`, i.e. after every claimed task ran;
/// no participant touches the job after that, so the body may capture pointers to the caller's
/// stack and buffers. The caller claims tasks too, so a job completes even if no worker wakes.
final class WorkerPool: Sendable {
    /// The process-wide pool used by `GEMM.multiply`; workers are started on first use.
    static let shared = WorkerPool()

    /// How long an idle worker spins before it sleeps.
    static let spinMicroseconds = 50

    private static let indexBits = 24
    private static let indexMask = (1 << indexBits) - 1

    private struct Job: Sendable {
        let generation: Int
        let tasks: Int
        /// Workers with index ≥ this stay out (the caller is the remaining participant).
        let workers: Int
        let body: @Sendable (Int) -> Void
    }

    /// One worker's parking spot: a flag saying it is (about to be) asleep, and its semaphore.
    private final class Worker: Sendable {
        let index: Int
        let sleeping = Atomic<Bool>(false)
        let wakeUp = DispatchSemaphore(value: 0)
        init(index: Int) { self.index = index }
    }

    private let owned = Atomic<Bool>(false)
    private let state = Atomic<Int>(0)
    private let finished = Atomic<Int>(0)
    private let job = Mutex<Job?>(nil)
    /// Started workers; appended to only by the owner.
    private let workers = Mutex<[Worker]>([])

    /// Runs `body(0) ... body(tasks - 1)` on the calling thread and up to `participants - 1`
    /// workers, and returns once all have finished.
    ///
    /// - Returns: `false` without running anything when another caller owns the pool.
    func run(tasks: Int, participants: Int, _ body: @escaping @Sendable (Int) -> Void) -> Bool {
        precondition(tasks >= 1 && tasks <= Self.indexMask, "WorkerPool.run: \(tasks) tasks")
        guard owned.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
            return false
        }
        defer { owned.store(false, ordering: .releasing) }

        let helpers = max(0, min(participants, tasks) - 1)
        let started = startWorkers(count: helpers)
        let generation = (state.load(ordering: .relaxed) >> Self.indexBits) + 1
        finished.store(0, ordering: .relaxed)
        job.withLock { $0 = Job(generation: generation, tasks: tasks, workers: helpers, body: body) }
        state.store(generation << Self.indexBits, ordering: .sequentiallyConsistent)
        for worker in started.prefix(helpers)
        where worker.sleeping.exchange(false, ordering: .sequentiallyConsistent) {
            worker.wakeUp.signal()
        }

        participate(generation: generation, workerIndex: nil)
        var spins = 0
        while finished.load(ordering: .acquiring) < tasks {
            spins += 1
            if spins < 4096 { cfk_cpu_relax() } else { sched_yield() }
        }
        job.withLock { $0 = nil }
        return true
    }

    /// Claims and runs tasks of job `generation` until none is left or a newer job started.
    private func participate(generation: Int, workerIndex: Int?) {
        guard let current = job.withLock({ $0 }), current.generation == generation else { return }
        if let workerIndex, workerIndex >= current.workers { return }
        var observed = state.load(ordering: .relaxed)
        while true {
            guard observed >> Self.indexBits == generation else { return }
            let index = observed & Self.indexMask
            guard index < current.tasks else { return }
            let (exchanged, original) = state.compareExchange(
                expected: observed, desired: observed + 1, ordering: .acquiringAndReleasing)
            if exchanged {
                current.body(index)
                finished.add(1, ordering: .releasing)
                observed = state.load(ordering: .relaxed)
            } else {
                observed = original
            }
        }
    }

    /// Starts workers until there are `count`; returns all started workers.
    private func startWorkers(count: Int) -> [Worker] {
        workers.withLock { workers in
            while workers.count < count {
                let worker = Worker(index: workers.count)
                // Without a new thread the job still completes: the caller claims every task.
                guard spawnThread({ [self] in workerLoop(worker) }) else { break }
                workers.append(worker)
            }
            return workers
        }
    }

    private func workerLoop(_ worker: Worker) -> Never {
        var seen = 0
        while true {
            var generation = state.load(ordering: .acquiring) >> Self.indexBits
            if generation == seen {
                generation = waitForJob(after: seen, worker: worker)
            }
            seen = generation
            participate(generation: generation, workerIndex: worker.index)
        }
    }

    /// Spins for `spinMicroseconds`, then sleeps until a job newer than `seen` is published.
    private func waitForJob(after seen: Int, worker: Worker) -> Int {
        let start = Self.nowNanoseconds()
        var spins = 0
        while true {
            let generation = state.load(ordering: .acquiring) >> Self.indexBits
            if generation != seen { return generation }
            spins += 1
            if spins & 63 == 0, Self.nowNanoseconds() - start > Self.spinMicroseconds * 1000 { break }
            cfk_cpu_relax()
        }
        while true {
            // Announce the sleep, then re-check: the owner publishes and then clears the flag, so
            // either we see the new generation here or the owner sees the flag and signals.
            worker.sleeping.store(true, ordering: .sequentiallyConsistent)
            let generation = state.load(ordering: .sequentiallyConsistent) >> Self.indexBits
            if generation != seen {
                if !worker.sleeping.exchange(false, ordering: .sequentiallyConsistent) {
                    worker.wakeUp.wait()  // the owner signalled already: consume it
                }
                return generation
            }
            worker.wakeUp.wait()
        }
    }

    private static func nowNanoseconds() -> Int {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Int(time.tv_sec) * 1_000_000_000 + Int(time.tv_nsec)
    }
}

/// The closure a new thread runs, passed through `pthread_create`'s context pointer.
private final class ThreadStart {
    let body: () -> Void
    init(_ body: @escaping () -> Void) { self.body = body }
}

/// Starts a detached OS thread running `body`; `false` if the system refused.
private func spawnThread(_ body: @escaping @Sendable () -> Void) -> Bool {
    let context = Unmanaged.passRetained(ThreadStart(body)).toOpaque()
    #if canImport(Darwin)
    var thread: pthread_t?
    let result = pthread_create(&thread, nil, { raw in
        Unmanaged<ThreadStart>.fromOpaque(raw).takeRetainedValue().body()
        return nil
    }, context)
    if result == 0, let thread { pthread_detach(thread) }
    #elseif canImport(Glibc)
    var thread = pthread_t()
    let result = pthread_create(&thread, nil, { raw in
        Unmanaged<ThreadStart>.fromOpaque(raw!).takeRetainedValue().body()
        return nil
    }, context)
    if result == 0 { pthread_detach(thread) }
    #else
    var thread: pthread_t?
    let result = pthread_create(&thread, nil, { raw in
        Unmanaged<ThreadStart>.fromOpaque(raw!).takeRetainedValue().body()
        return nil
    }, context)
    if result == 0, let thread { pthread_detach(thread) }
    #endif
    if result != 0 { Unmanaged<ThreadStart>.fromOpaque(context).release() }
    return result == 0
}
