/// An account's public name, as in `@ana`. Only ASCII letters, digits and `_`, compared without case, so that
/// look-alike letters from other scripts cannot impersonate someone.
public struct Handle: Hashable, Sendable, CustomStringConvertible {
    public static let maxLength = 30
    /// The lower-cased form used for uniqueness and lookup.
    public let normalised: String
    /// The form the person typed.
    public let display: String

    public init(_ raw: String) throws(InputError) {
        var typed = raw.trimmingWhitespace
        if typed.hasPrefix("@") { typed.removeFirst() }
        guard !typed.isEmpty else { throw InputError("Choose a handle, for example ana_m.", field: "handle") }
        guard typed.count <= Self.maxLength else {
            throw InputError("A handle can be up to \(Self.maxLength) characters.", field: "handle")
        }
        guard typed.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_") }) else {
            throw InputError("A handle can use the letters a–z, the digits 0–9 and _ only.", field: "handle")
        }
        self.display = typed
        self.normalised = typed.lowercased()
    }

    public var description: String { display }
}

/// Password rules: long enough to be safe, nothing else asked.
public enum PasswordRules {
    public static let minLength = 8
    public static let maxLength = 128

    public static func check(_ password: String) throws(InputError) {
        if password.utf8.contains(0) {
            throw InputError("A password can't contain a null character.", field: "password")
        }
        if password.count < minLength {
            throw InputError("Choose a password of at least \(minLength) characters.", field: "password")
        }
        if password.utf8.count > maxLength * 4 || password.count > maxLength {
            throw InputError("A password can be up to \(maxLength) characters.", field: "password")
        }
    }
}
