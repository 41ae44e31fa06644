extension String {
    /// Whether every character is ASCII. Folding case and accents does no more to such a text than lower-casing it,
    /// which is far cheaper than Foundation's folding.
    var isASCII: Bool { utf8.allSatisfy { $0 < 0x80 } }
}
