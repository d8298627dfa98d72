import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension GEMM {
    /// The number of threads a large `multiply` may use, the caller's included (at least 1).
    ///
    /// Defaults to the environment variable `FEDDATA_THREADS` when it holds a positive integer,
    /// else to the number of online processors. Setting it affects later calls in all tasks;
    /// to change it for one task only, use `withThreadCount(_:_:)`.
    public static var threadCount: Int {
        get { threadCountSetting.load(ordering: .relaxed) }
        set { threadCountSetting.store(max(1, newValue), ordering: .relaxed) }
    }

    /// Runs `body` with every `GEMM.multiply` made by the current task (synchronously, or by its
    /// child tasks) limited to `threads` threads instead of `threadCount`.
    ///
    /// - Parameters:
    ///   - threads: the most threads one multiply may use, the caller's included (at least 1).
    ///   - body: the work to run.
    public static func withThreadCount<R>(_ threads: Int, _ body: () throws -> R) rethrows -> R {
        precondition(threads >= 1, "GEMM.withThreadCount: \(threads) threads; expected at least 1")
        return try $threadCountOverride.withValue(threads, operation: body)
    }

    /// The thread limit `multiply` uses in the current context.
    static var currentThreadCount: Int { threadCountOverride ?? threadCount }

    @TaskLocal static var threadCountOverride: Int?

    private static let threadCountSetting = Atomic<Int>(defaultThreadCount())

    /// `FEDDATA_THREADS` if set to a positive integer, else the online processor count.
    static func defaultThreadCount() -> Int {
        threadCount(
            environment: getenv("FEDDATA_THREADS").map { String(cString: $0) },
            processors: Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }

    /// The thread count from the value of `FEDDATA_THREADS` (used when a positive integer) and
    /// the number of processors.
    static func threadCount(environment: String?, processors: Int) -> Int {
        if let environment, let value = Int(environment), value > 0 {
            return value
        }
        return max(1, processors)
    }
}
