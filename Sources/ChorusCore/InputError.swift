/// Input a person can correct: the message says what to do, in calm words.
public struct InputError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    /// The form field or API parameter it concerns, when there is one.
    public let field: String?

    public init(_ message: String, field: String? = nil) {
        self.message = message
        self.field = field
    }

    public var description: String { message }
}
