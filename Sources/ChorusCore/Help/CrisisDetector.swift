import Foundation

/// Spots posts and replies whose writer is in danger *now* or may harm themselves, in English, Spanish,
/// French, German and Portuguese.
///
/// Hand-written cue lists (``CrisisLexicon``) find first-person, present-tense signals ("he is outside my
/// door right now", "I can't go on, I have the pills here"). A signal does not count when its sentence is
/// told in the past ("I wanted to die back then"), when a negation comes just before it ("I'm not going
/// to hurt myself"), or when it is addressed to someone else or reported ("if you're in danger call 911",
/// news, films). A text that laughs ("lol my mom is going to kill me") needs two signals: people in danger deflect
/// with a laugh too ("I have the pills in my hand haha. goodbye everyone").
///
/// The cue lists only know the phrasings someone thought of. A linear model over word and character n-grams
/// (``CrisisModel``, trained by tools/train_crisis.py on hand-written examples in many voices) catches other ways of
/// saying the same thing ("the letters are written", "er steht unten vor der Tür"). A text is a crisis when an
/// unsuppressed cue fires (unless the model sets a floor and scores the text below it), or when the model's
/// probability reaches its tuned threshold and the cue lists' past-time and distance framings do not cancel it.
/// The detector only informs:
/// it never blocks posting. Classifying a short post takes well under a millisecond.
public struct CrisisDetector: Sendable {
    private let cues: CompiledCues
    private let model: CrisisModel?

    /// A detector with the bundled cue lists and model (loaded once per process, then shared).
    public init() {
        self.init(model: CrisisModel.shared)
    }

    /// A detector with the bundled cue lists and a model written by tools/train_crisis.py, e.g. one trained with a
    /// writing voice held out.
    public init(modelAt path: String) throws {
        self.init(model: try CrisisModel(json: Data(contentsOf: URL(fileURLWithPath: path))))
    }

    /// The bundled cue lists with a given model; nil leaves the cue lists alone.
    init(model: CrisisModel?) {
        cues = CompiledCues.shared
        self.model = model
    }

    /// `.crisis` when the text says its writer is in danger now or may harm themselves.
    public func classify(_ text: String) -> CrisisLabel {
        isCrisis(text) ? .crisis : .notCrisis
    }

    /// Whether the text says its writer is in danger now or may harm themselves. `cuesOnly`: for a pledge, which says
    /// what its writer will do; the model, which learnt from posts and replies, reads its "I will …" as intent
    /// ("I will listen." scored as a crisis), so only the cue lists judge it.
    public func isCrisis(_ text: String, cuesOnly: Bool = false) -> Bool {
        let reading = CrisisReading(text: text, cues: cues)
        if reading.hasLaughter { return unsuppressedSignals(in: reading) >= 2 }
        guard let model, !cuesOnly else { return cuesFire(in: reading) }
        if cuesFire(in: reading) {
            // With a floor set, a cue counts unless the model is sure the text is something else (an idiom, advice).
            return model.ruleFloor <= 0 || model.probability(of: text) >= model.ruleFloor
        }
        guard model.probability(of: text) >= model.threshold else { return false }
        // The cue lists' cancellations hold for the model too: a story told in the past without a "now", or a text
        // addressed to someone else, hypothetical or reported ("if you're in danger…", news, films), is not a crisis.
        // "… Today I'm better": the only "now" of a story told is the writer's recovery.
        if reading.mentionsPast && !reading.mentionsNowOutsideRecovery { return false }
        return !reading.mentionsDistance
    }

    /// How many strong and weak cues fire and are not cancelled.
    private func unsuppressedSignals(in reading: CrisisReading) -> Int {
        (reading.signals(of: cues.strong) + reading.signals(of: cues.weak)).filter { !reading.isSuppressed($0) }.count
    }

    /// Whether an unsuppressed strong cue, two weak ones, or one weak cue and a "now" cue are in the text.
    private func cuesFire(in reading: CrisisReading) -> Bool {
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
    let recovered: CueSet
    let negations: Set<String>
    /// Words a text's next word is paired with, for the cues indexed by two words.
    let pairedFirstWords: Set<String>

    init(lexicon: CrisisLexicon) {
        strong = CueSet(sources: lexicon.strong)
        weak = CueSet(sources: lexicon.weak)
        past = CueSet(sources: lexicon.past)
        reported = CueSet(sources: lexicon.reported)
        now = CueSet(sources: lexicon.now)
        distance = CueSet(sources: lexicon.distance)
        joke = CueSet(sources: lexicon.joke)
        recovered = CueSet(sources: lexicon.recovered)
        negations = lexicon.negations
        pairedFirstWords = [strong, weak, past, reported, now, distance, joke, recovered].reduce(into: []) { $0.formUnion($1.pairedFirstWords) }
    }
}
