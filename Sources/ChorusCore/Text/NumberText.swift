extension BinaryInteger {
    /// `1 234 567`: digits grouped by threes with a narrow no-break space, as ISO 80000 writes them, which reads
    /// the same in every language Chorus speaks (a comma or a dot would mean a decimal point to half of them), and
    /// costs no number formatter per count.
    public var groupedText: String {
        let digits = String(self.magnitude)
        var text = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { text.append("\u{202F}") }
            text.append(digit)
        }
        return self < 0 ? "-" + text : text
    }
}
