import Synchronization

/// Identifiers for voices and everything else: time-ordered for pagination, with random low bits so that
/// neighbouring ids say little about who wrote what.
public enum VoiceID {
    private static let last = Mutex<Int64>(0)

    /// Milliseconds since the epoch in the high bits, 16 random bits below; always above the last id this process made.
    public static func make(at milliseconds: Int64) -> Int64 {
        var generator = SystemRandomNumberGenerator()
        let candidate = (milliseconds << 16) | Int64(generator.next(upperBound: UInt64(1 << 16)))
        return last.withLock { last in
            last = max(candidate, last + 1)
            return last
        }
    }

    /// An id that tells only the UTC day it was made: a random moment of that day in the high bits, 16 random bits
    /// below. For accounts, whose exact sign-up time would point at the account that signed up just before the first
    /// anonymous voice of the day. Unlike `make`, it is not ordered within the day; the caller checks it is free.
    public static func makeTellingOnlyTheDay(at milliseconds: Int64) -> Int64 {
        var generator = SystemRandomNumberGenerator()
        let day = milliseconds - milliseconds % 86_400_000
        let moment = day + Int64(generator.next(upperBound: UInt64(86_400_000)))
        return (moment << 16) | Int64(generator.next(upperBound: UInt64(1 << 16)))
    }

    /// The smallest id made at `milliseconds`, for time-based cursors.
    public static func floor(at milliseconds: Int64) -> Int64 { milliseconds << 16 }

    /// The time an id was made.
    public static func milliseconds(of id: Int64) -> Int64 { id >> 16 }
}
