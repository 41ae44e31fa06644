/// Who may see a voice.
///
/// `anonymous` voices are shown to everyone as "someone": no page, feed or API response ever carries
/// their author, not even to moderators. `onlyMe` voices form a private journal.
public enum Visibility: String, CaseIterable, Codable, Sendable {
    case `public`
    case anonymous
    case onlyMe = "only_me"

    /// Parses the value a form or the API sent, with a message a person can act on.
    public static func parse(_ raw: String?) throws(InputError) -> Visibility {
        guard let raw, !raw.isEmpty else { return .public }
        guard let visibility = Visibility(rawValue: raw) else {
            throw InputError("Choose who can see this: public, anonymous or only me.", field: "visibility")
        }
        return visibility
    }

    /// Whether people other than the author may read it.
    public var isListed: Bool { self != .onlyMe }
}
