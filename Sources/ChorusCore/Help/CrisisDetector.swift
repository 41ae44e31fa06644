import Foundation

/// Spots posts and replies whose writer is in danger *now* or may harm themselves, in English, Spanish,
/// French, German and Portuguese.
///
/// Hand-written cue lists (``CrisisLexicon``) find first-person, present-tense signals ("he is outside my
/// door right now", "I can't go on, I have the pills here"). A signal does not count when its sentence is
/// told in the past ("I wanted to die back then"), when a negation comes just before it ("I'm not going
/// to hurt myself"), when it is addressed to someone else or reported ("if you're in danger call 911",
/// news, films), or when the text laughs ("lol my mom is going to kill me"). The detector only informs:
/// it never blocks posting. Classifying a short post takes well under a millisecond.
public struct CrisisDetector: Sendable {
    private let cues: CompiledCues

    /// A detector with the bundled cue lists (compiled once per process, then shared).
    public init() {
        cues = CompiledCues.shared
    }

    /// `.crisis` when the text says its writer is in danger now or may harm themselves.
    public func classify(_ text: String) -> CrisisLabel {
        isCrisis(text) ? .crisis : .notCrisis
    }

    /// Whether the text says its writer is in danger now or may harm themselves.
    public func isCrisis(_ text: String) -> Bool {
        let reading = CrisisReading(text: text, cues: cues)
        if reading.hasLaughter { return false }
        if reading.signals(of: cues.strong).contains(where: { !reading.isSuppressed($0) }) { return true }
        let weakSignals = reading.signals(of: cues.weak).filter { !reading.isSuppressed($0) }
        switch weakSignals.count {
        case 0: return false
        case 1: return reading.mentionsNow
        default: return true
        }
    }
}

/// The cue lists compiled to regular expressions, once per process.
final class CompiledCues: Sendable {
    static let shared = CompiledCues(lexicon: .all)

    let strong: CueSet
    let weak: CueSet
    let past: CueSet
    let reported: CueSet
    let now: CueSet
    let distance: CueSet
    let joke: CueSet
    let negations: Set<String>

    init(lexicon: CrisisLexicon) {
        strong = CueSet(sources: lexicon.strong)
        weak = CueSet(sources: lexicon.weak)
        past = CueSet(sources: lexicon.past)
        reported = CueSet(sources: lexicon.reported)
        now = CueSet(sources: lexicon.now)
        distance = CueSet(sources: lexicon.distance)
        joke = CueSet(sources: lexicon.joke)
        negations = lexicon.negations
    }
}
