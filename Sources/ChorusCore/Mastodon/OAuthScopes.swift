/// OAuth scopes as Mastodon defines them: `read`, `write`, `follow`, `push`, and granular ones such as `read:statuses`.
public struct OAuthScopes: Sendable, Equatable, CustomStringConvertible {
    public static let topLevel: Set<String> = ["read", "write", "follow", "push", "profile"]
    public static let granular: Set<String> = [
        "read:accounts", "read:blocks", "read:bookmarks", "read:favourites", "read:filters", "read:follows", "read:lists",
        "read:mutes", "read:notifications", "read:search", "read:statuses", "write:accounts", "write:blocks", "write:bookmarks",
        "write:conversations", "write:favourites", "write:filters", "write:follows", "write:lists", "write:media", "write:mutes",
        "write:notifications", "write:reports", "write:statuses", "admin:read", "admin:write",
    ]
    /// What the legacy `follow` scope covers.
    static let followCovers: Set<String> = ["read:follows", "write:follows", "read:blocks", "write:blocks", "read:mutes", "write:mutes"]

    public let values: [String]

    /// Parses a space- (or `+`-, or comma-) separated list. Nil or empty means `read`, as Mastodon does.
    public init(parsing raw: String?) throws(InputError) {
        let parts = (raw ?? "").split(whereSeparator: { $0 == " " || $0 == "+" || $0 == "," }).map(String.init)
        var seen: [String] = []
        for part in parts where !seen.contains(part) {
            guard Self.topLevel.contains(part) || Self.granular.contains(part) else {
                throw InputError(
                    "The scope “\(part)” is not one Chorus knows. Use read, write, follow, push or a granular scope such as read:statuses.")
            }
            seen.append(part)
        }
        self.values = seen.isEmpty ? ["read"] : seen
    }

    public init(_ values: [String]) { self.values = values }

    public var description: String { values.joined(separator: " ") }

    /// Whether these scopes allow what `required` names (e.g. `read:statuses` is allowed by `read` or `read:statuses`).
    public func allows(_ required: String) -> Bool {
        if values.contains(required) { return true }
        if let colon = required.firstIndex(of: ":"), values.contains(String(required[..<colon])) { return true }
        if values.contains("follow"), Self.followCovers.contains(required) { return true }
        if required == "profile", values.contains("read") || values.contains("read:accounts") { return true }
        return false
    }

    /// Whether every scope here is also allowed by `granted` (an app can only ask for scopes it registered).
    public func isSubset(of granted: OAuthScopes) -> Bool { values.allSatisfy { granted.allows($0) } }
}
