/// A request Chorus turns down, with calm words the person can act on.
public struct Refusal: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// Nothing there, or nothing this reader may see (the two look the same, on purpose).
        case notFound
        /// Already done, or taken by someone else.
        case conflict
        /// Not this person's to do.
        case forbidden
        /// Existed once, but was deleted.
        case gone
        /// Well-formed, but not acceptable as it is.
        case unprocessable
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }

    public static func voiceNotFound() -> Refusal {
        Refusal(.notFound, "This voice is not here. It may have been deleted, or it is not shared with you.")
    }
}

/// A page of a time-ordered list, as Mastodon clients ask for it.
public struct PageRequest: Sendable, Equatable {
    public static let defaultLimit = 20
    public static let maxLimit = 40
    /// Return items older than this id.
    public var maxID: Int64?
    /// Return items newer than this id (newest first).
    public var sinceID: Int64?
    /// Return items immediately newer than this id (oldest first, then returned newest first).
    public var minID: Int64?
    public var limit: Int

    public init(maxID: Int64? = nil, sinceID: Int64? = nil, minID: Int64? = nil, limit: Int = PageRequest.defaultLimit) {
        self.maxID = maxID
        self.sinceID = sinceID
        self.minID = minID
        self.limit = max(1, min(limit, Self.maxLimit))
    }
}
