import Foundation

/// The linear n-gram model trained by tools/train_crisis.py and shipped as crisis-model.json: the probability that a
/// text says its writer is in danger now or may harm themselves.
///
/// It complements the cue lists: they know exact phrasings, the model knows many ways of saying the same thing
/// ("the letters are written", "er steht unten vor der Tür"), learnt from hand-written examples.
struct CrisisModel: Sendable {
    /// A text whose probability reaches this counts as a crisis.
    let threshold: Double
    /// A text where a cue fires still needs this probability (0: the cue alone decides).
    let ruleFloor: Double
    private let bias: Double
    private let rows: FeatureRows
    /// One weight per row, in thousandths.
    private let weights: [Int16]

    private struct Payload: Decodable {
        enum CodingKeys: String, CodingKey {
            case threshold, bias
            case ruleFloor = "rule_floor"
        }
        let threshold: Double
        let ruleFloor: Double?
        let bias: Double
    }

    enum LoadError: Error { case missingResource(String), malformed(String) }

    /// The shipped model, loaded once per process (nil if the resource is missing or broken).
    static let shared: CrisisModel? = try? bundled()

    /// Loads the shipped model from the module bundle.
    static func bundled(named name: String = "crisis-model") throws -> CrisisModel {
        guard let url = Bundle.module.url(forResource: name, withExtension: "json") else { throw LoadError.missingResource(name) }
        return try CrisisModel(json: Data(contentsOf: url))
    }

    init(json: Data) throws {
        let tables = try ModelTables(json: json)
        let payload = try JSONDecoder().decode(Payload.self, from: tables.rest)
        guard tables.hashes.count == tables.weights.count else { throw LoadError.malformed("hash and weight counts disagree") }
        threshold = payload.threshold
        ruleFloor = payload.ruleFloor ?? 0
        bias = payload.bias
        do { rows = try FeatureRows(hashes: tables.hashes) } catch { throw LoadError.malformed("\(error)") }
        weights = tables.weights
    }

    /// The probability that `text` is a crisis (logistic over the L2-normalised binary features it contains).
    func probability(of text: String) -> Double {
        var seen = Set<UInt64>()
        seen.reserveCapacity(256)
        var sum = 0
        var count = 0
        NGramFeatures.forEachHash(of: CrisisFeatures.tokens(of: text)) { hash in
            guard let row = rows.row(of: hash), seen.insert(hash).inserted else { return }
            sum += Int(weights[row])
            count += 1
        }
        let score = bias + (count > 0 ? Double(sum) / (1000 * Double(count).squareRoot()) : 0)
        return 1 / (1 + Foundation.exp(-score))
    }
}

/// Tokens and hashed word and character n-gram features of a text, for ``CrisisModel``.
///
/// Mirrors `tokens()`, `features()` and `fnv1a()` in tools/ngram_features.py; change both together. Tokens are the
/// reply guard's (`ReplyText`): lower case, without accents or apostrophes, "?" kept as a token.
enum CrisisFeatures {
    /// "He's at the DOOR?" -> ["hes", "at", "the", "door", "?"].
    static func tokens(of text: String) -> [String] { ReplyText(text).tokens }
}
