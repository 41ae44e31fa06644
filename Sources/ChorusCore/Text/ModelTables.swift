import Foundation

/// The two large arrays of a trained model's JSON (`hashes` and `weights`, as tools/train_reply_guard.py and
/// tools/train_crisis.py write them), read straight from its bytes; the rest of the document is left, with those arrays
/// emptied, for `JSONDecoder`.
///
/// `JSONDecoder` holds a whole document as decoded values before it builds the arrays: 50 MB at its peak for the
/// reply guard's 700,000 numbers, and the process kept several of those megabytes for the rest of its life.
struct ModelTables {
    var hashes: [UInt64] = []
    /// In thousandths: the trainers round every weight to three decimals, so two bytes hold each one exactly (half of a
    /// `Float`: 1.2 MB less for the reply guard, for the life of the process).
    var weights: [Int16] = []
    /// The document without the two arrays' elements (`"hashes":[]`), for the small fields.
    var rest = Data()

    enum Malformed: Error, Equatable, CustomStringConvertible {
        case notANumber(key: String, offset: Int)
        case notThousandths(key: String, offset: Int)
        case unterminated(key: String)

        var description: String {
            switch self {
            case .notANumber(let key, let offset): "“\(key)” has something other than a number at byte \(offset)"
            case .notThousandths(let key, let offset):
                "“\(key)” has a number at byte \(offset) that is not a whole number of thousandths between -32.768 and 32.767"
            case .unterminated(let key): "“\(key)” has no closing bracket"
            }
        }
    }

    init(json: Data) throws(Malformed) {
        self = try json.withUnsafeBytes { bytes in Result { () throws(Malformed) in try ModelTables(bytes: bytes) } }.get()
    }

    private init(bytes: UnsafeRawBufferPointer) throws(Malformed) {
        var hashes: [UInt64] = []
        var weights: [Int16] = []
        var rest = [UInt8]()
        rest.reserveCapacity(4096)
        var depth = 0
        var index = 0
        var lastKey: Slice<UnsafeRawBufferPointer>?
        while index < bytes.count {
            let byte = bytes[index]
            rest.append(byte)
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                let start = index
                while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
                    index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
                }
                let end = min(index, bytes.count)
                rest.append(contentsOf: bytes[start..<end])
                if index < bytes.count {
                    rest.append(bytes[index])
                    index += 1
                }
                lastKey = depth == 1 ? bytes[start..<end] : nil
            case UInt8(ascii: "{"):
                depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
            case UInt8(ascii: "["):
                let key = lastKey.map { String(decoding: $0, as: UTF8.self) }
                if depth == 1, key == "hashes" || key == "weights", let key {
                    let close = try Self.numbers(in: bytes, from: index, key: key) { number, offset throws(Malformed) in
                        if key == "hashes" {
                            guard let hash = UInt64(number) else { throw .notANumber(key: key, offset: offset) }
                            hashes.append(hash)
                        } else {
                            guard let weight = Double(number) else { throw .notANumber(key: key, offset: offset) }
                            guard let thousandths = Self.thousandths(weight) else { throw .notThousandths(key: key, offset: offset) }
                            weights.append(thousandths)
                        }
                    }
                    rest.append(UInt8(ascii: "]"))
                    index = close + 1
                } else {
                    depth += 1
                }
            default:
                break
            }
            if byte != UInt8(ascii: "\"") && byte != UInt8(ascii: ":") && !Self.isSpace(byte) { lastKey = nil }
        }
        self.hashes = hashes.exactlySized
        self.weights = weights.exactlySized
        self.rest = Data(rest)
    }

    /// Calls `body` with each comma-separated number of the array opened just before `start`, and returns the index
    /// of its closing bracket.
    private static func numbers(
        in bytes: UnsafeRawBufferPointer, from start: Int, key: String, _ body: (String, Int) throws(Malformed) -> Void
    ) throws(Malformed) -> Int {
        var index = start
        while true {
            while index < bytes.count, isSpace(bytes[index]) || bytes[index] == UInt8(ascii: ",") { index += 1 }
            guard index < bytes.count else { throw .unterminated(key: key) }
            if bytes[index] == UInt8(ascii: "]") { return index }
            let numberStart = index
            while index < bytes.count, !isSpace(bytes[index]), bytes[index] != UInt8(ascii: ","), bytes[index] != UInt8(ascii: "]") {
                index += 1
            }
            try body(String(decoding: bytes[numberStart..<index], as: UTF8.self), numberStart)
        }
    }

    /// `weight` in thousandths, when it is a whole number of them (as written with three decimals) that fits.
    static func thousandths(_ weight: Double) -> Int16? {
        let scaled = weight * 1000
        guard abs(scaled - scaled.rounded()) < 1e-6, let exact = Int16(exactly: scaled.rounded()) else { return nil }
        return exact
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\t")
    }
}

extension Array {
    /// A copy that holds no spare capacity (a decoded array grew by doubling, and a model keeps it for the life of the
    /// process).
    fileprivate var exactlySized: [Element] {
        [Element](unsafeUninitializedCapacity: count) { buffer, initialized in
            initialized = buffer.initialize(fromContentsOf: self)
        }
    }
}
