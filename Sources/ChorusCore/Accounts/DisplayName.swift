/// The name a person shows beside their handle. It is read by people deciding whom to trust, so it holds only what a
/// reader can see: no control characters, no invisible ones, nothing that turns the text around it right to left.
public enum DisplayName {
    public static let limit = 60

    /// Zero-width joiners that shape what is seen: emoji sequences (🏳️‍🌈, 👩‍⚕️), Persian and Indic names.
    static let joiners: Set<UInt32> = [0x200C, 0x200D]

    /// The name as given, trimmed; or a message a person can act on.
    public static func validated(_ raw: String) throws(InputError) -> String {
        let name = raw.trimmingWhitespace
        guard name.count <= limit else { throw InputError("A display name can be up to 60 characters.", field: "display_name") }
        // A hidden character, or only joiners and spaces: a name nobody can see as it is.
        let visible = name.unicodeScalars.contains { !$0.properties.isWhitespace && !joiners.contains($0.value) }
        if name.unicodeScalars.contains(where: isHidden) || (!name.isEmpty && !visible) {
            throw InputError(
                "Please use only letters, digits, spaces and punctuation in a display name: no invisible or control characters.",
                field: "display_name")
        }
        // A letter carrying a pile of accents ("Z̶̶̶…") spills over the names around it.
        var marks = 0
        for scalar in name.unicodeScalars {
            marks = scalar.properties.generalCategory == .nonspacingMark || scalar.properties.generalCategory == .enclosingMark ? marks + 1 : 0
            if marks > 3 {
                throw InputError("A display name can carry at most three accents on one letter.", field: "display_name")
            }
        }
        return name
    }

    /// Control and format characters (bidi overrides and isolates, zero-width ones, tags) and the blank fillers that look
    /// like nothing at all.
    static func isHidden(_ scalar: Unicode.Scalar) -> Bool {
        if joiners.contains(scalar.value) { return false }
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .privateUse, .surrogate, .unassigned: return true
        default: return [0x115F, 0x1160, 0x3164, 0xFFA0, 0x2800].contains(scalar.value)
        }
    }
}
