/// One-time codes that let a person back in without an email or phone.
public enum RecoveryCodes {
    public static let count = 8
    private static let alphabet = Array("abcdefghjkmnpqrstuvwxyz23456789")

    /// New codes like `k7rm-2xqp-9tda`, drawn from the system's secure generator.
    public static func generate() -> [String] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in
            (0..<3).map { _ in String((0..<4).map { _ in alphabet[Int(generator.next(upperBound: UInt64(alphabet.count)))] }) }
                .joined(separator: "-")
        }
    }

    /// The form compared with what is stored: case, spaces and dashes do not matter.
    public static func normalise(_ code: String) -> String {
        String(code.lowercased().filter { $0.isLetter || $0.isNumber })
    }
}
