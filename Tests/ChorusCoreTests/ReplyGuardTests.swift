import Foundation
import Testing

@testable import ChorusCore

@Suite struct ReplyGuardTests {
    static let replyGuard = ReplyGuard()

    /// One clear reply per label and language.
    static let labelledReplies: [(reply: String, label: ReplyLabel, lang: String)] = [
        ("I believe you, and none of this was your fault.", .supportive, "en"),
        ("Honestly, what did you expect after going to his place so late?", .blaming, "en"),
        ("I'm not buying it, this sounds completely made up.", .disbelief, "en"),
        ("Why didn't you go to the police the same night?", .whyQuestion, "en"),
        ("Come on, it was just a joke, stop overreacting.", .minimizing, "en"),
        ("Shut up, you attention-seeking slut.", .hostile, "en"),
        ("Te creo. No es tu culpa y no estás sola.", .supportive, "es"),
        ("Eso te pasa por ir sola a esas fiestas.", .blaming, "es"),
        ("Qué casualidad que lo cuentes justo ahora, no me lo creo.", .disbelief, "es"),
        ("¿Por qué no se lo dijiste a nadie en su momento?", .whyQuestion, "es"),
        ("Venga ya, no es para tanto, solo fue un piropo.", .minimizing, "es"),
        ("Cállate, zorra.", .hostile, "es"),
        ("Je te crois. Ce n'est pas ta faute, tu n'es pas seule.", .supportive, "fr"),
        ("Franchement, tu l'as bien cherché.", .blaming, "fr"),
        ("Des preuves ? Sinon c'est juste une histoire inventée.", .disbelief, "fr"),
        ("Pourquoi tu ne l'as pas quitté tout de suite ?", .whyQuestion, "fr"),
        ("C'était juste une blague, tu en fais trop.", .minimizing, "fr"),
        ("Ferme-la, pauvre conne.", .hostile, "fr"),
        ("Ich glaube dir. Es ist nicht deine Schuld, und du bist nicht allein.", .supportive, "de"),
        ("Selbst schuld, wenn man so spät allein unterwegs ist.", .blaming, "de"),
        ("Ich glaube kein Wort, das ist doch ausgedacht.", .disbelief, "de"),
        ("Warum hast du ihn nicht sofort angezeigt?", .whyQuestion, "de"),
        ("Das war doch nur ein Witz, reg dich ab.", .minimizing, "de"),
        ("Halt die Klappe, du Schlampe.", .hostile, "de"),
        ("Eu acredito em você. Não é culpa sua e você não está sozinha.", .supportive, "pt"),
        ("Quem mandou ir sozinha naquela festa? Bem feito.", .blaming, "pt"),
        ("Cadê as provas? Isso parece inventado.", .disbelief, "pt"),
        ("Por que você não contou para ninguém na época?", .whyQuestion, "pt"),
        ("Era só uma brincadeira, não é pra tanto.", .minimizing, "pt"),
        ("Cala a boca, vadia.", .hostile, "pt"),
    ]

    @Test(arguments: labelledReplies)
    func eachLabelIsRecognisedInEachLanguage(_ example: (reply: String, label: ReplyLabel, lang: String)) {
        // setup
        let reply = example.reply
        // act
        let verdict = Self.replyGuard.classify(reply)
        // check
        #expect(verdict.label == example.label, "\(example.lang): \(reply)")
        #expect(verdict.isHarmful == example.label.isHarmful)
        #expect((0...1).contains(verdict.confidence))
    }

    @Test(arguments: [
        "I believe you, but what were you wearing?",
        "Sorry that happened, but you really shouldn't have gone home with him.",
        "Te creo, pero ¿por qué no lo denunciaste?",
        "Je te crois, mais c'était juste une blague, non ?",
        "Ich glaube dir, aber warum bist du bei ihm geblieben?",
        "Acredito em você, mas você devia ter tomado mais cuidado.",
    ])
    func mixedRepliesAreHeldForTheirHarmfulPart(_ reply: String) {
        // setup
        let supportiveOpening = reply
        // act
        let verdict = Self.replyGuard.classify(supportiveOpening)
        // check
        #expect(verdict.isHarmful, "\(reply)")
    }

    @Test(arguments: [
        "It's not your fault. Nobody gets to blame you for what he chose to do.",
        "Why would anyone doubt you? I believe you.",
        "Men can be survivors too, and I believe you.",
        "He said it was just a joke. It wasn't, and you know that.",
        "Some people will ask why you didn't report it. You don't owe anyone that answer.",
        "Anyone who asks \"what were you wearing\" is part of the problem.",
        "You are not overreacting, and it was not a compliment.",
        "No es tu culpa. Nadie tiene derecho a culparte.",
        "Ce n'était pas « juste une blague ». Je te crois.",
        "Du übertreibst nicht. Es war nie deine Schuld.",
        "Não deixe ninguém dizer que foi culpa sua. Eu acredito em você.",
    ])
    func supportiveRepliesWithRiskyWordsPassThrough(_ reply: String) {
        // setup
        let trickyButKind = reply
        // act
        let verdict = Self.replyGuard.classify(trickyButKind)
        // check
        #expect(verdict.label == .supportive, "\(reply)")
    }

    @Test(arguments: [
        "Well, in my day girls knew not to go to a man's flat alone.",
        "Sure, and I'm the Pope.",
        "Meanwhile men die at work every day and nobody trends a hashtag.",
        "Women like you are the reason nobody takes this movement seriously.",
        "wel u shoudnt of gone to his apartmnet",
        "Y luego llegó un unicornio y te salvó. Precioso cuento.",
        "Comme disait ma mère, qui joue avec le feu se brûle.",
        "Das sind doch Geschichten, zu meiner Zeit gab es so was nicht.",
        "Pelo menos você não se machucou, né?",
    ])
    func indirectHarmfulRepliesAreHeld(_ reply: String) {
        // setup
        let noSwearWordsNoStockPhrase = reply
        // act
        let verdict = Self.replyGuard.classify(noSwearWordsNoStockPhrase)
        // check
        #expect(verdict.isHarmful, "\(reply)")
    }

    @Test(arguments: [
        "Men get assaulted too, I'm one of them, and I believe you completely.",
        "I know it was years ago but it still matters and so do you.",
        "A los hombres también nos pasa, a mí me pasó, y te creo totalmente.",
    ])
    func phrasesTheModelKnowsAreSupportivePassThrough(_ reply: String) {
        // setup
        let phraseUsedKindly = reply
        // act
        let verdict = Self.replyGuard.classify(phraseUsedKindly)
        // check
        #expect(verdict.label == .supportive, "\(reply)")
    }

    @Test func bundledModelHasSaneThresholds() throws {
        // setup
        let model = try ReplyModel.bundled()
        // act
        let thresholds = (model.threshold, model.phraseThreshold)
        // check
        #expect((0.2...0.95).contains(thresholds.0))
        #expect((0...thresholds.0).contains(thresholds.1))
        #expect(model.labels == ReplyLabel.allCases)
    }

    @Test func aWordThatMustNotFollowKeepsAdviceApartFromReassurance() {
        // setup
        let phrasebook = ReplyPhrasebook()
        // act
        let advice = phrasebook.hits(in: ReplyText("La próxima vez, quédate con tus amigas."))
        let reassurance = phrasebook.hits(in: ReplyText("La próxima vez que alguien te diga que fue culpa tuya, acuérdate de nosotras."))
        // check
        #expect(advice[.blaming] == 1)
        #expect(reassurance.isEmpty)
    }

    @Test func phraseFeaturesMatchTheTrainingScript() {
        // setup: values printed by tools/ngram_features.py, features(toks, 2), hashed with fnv1a
        let tokens = ["yeah", "right", "?"]
        // act
        var hashes = Set<UInt64>()
        NGramFeatures.forEachHash(of: tokens, scheme: .phrases) { hashes.insert($0) }
        // check: same count, same extremes, same sum (mod 2^52)
        #expect(hashes.count == 42)
        #expect(hashes.min() == 26_323_388_670_578)
        #expect(hashes.max() == 4_483_281_873_085_202)
        #expect(hashes.reduce(0, &+) & NGramFeatures.hashMask == 3_689_788_593_656_199)
    }

    @Test func labellingAJSONLineKeepsEveryOtherField() throws {
        // setup
        let line = ##"{"id": 7, "reply": "Why didn't you just leave?", "disclosure": "#MeToo", "meta": {"source": "test"}}"##
        // act
        let labelled = try ReplyLabelling.label(jsonLine: line, with: Self.replyGuard)
        // check
        let object = try #require(try JSONSerialization.jsonObject(with: Data(labelled.utf8)) as? [String: Any])
        #expect(object["label"] as? String == "why_question")
        #expect(object["id"] as? Int == 7)
        #expect(object["disclosure"] as? String == "#MeToo")
        #expect((object["meta"] as? [String: Any])?["source"] as? String == "test")
        #expect(object["reply"] as? String == "Why didn't you just leave?")
    }

    @Test func labellingALineWithoutAReplyFails() {
        // setup
        let line = #"{"text": "hello"}"#
        // act / check
        #expect(throws: ReplyLabelling.Failure.missingReply) { try ReplyLabelling.label(jsonLine: line, with: Self.replyGuard) }
    }

    @Test func evaluationArithmeticOnATinyFixedSet() {
        // setup: two supportive (one is wrongly held as hostile), two harmful (one missed)
        let examples: [(reply: String, disclosure: String?, label: ReplyLabel)] = [
            ("I believe you.", nil, .supportive),
            ("Shut up, slut.", nil, .supportive),
            ("Why didn't you report it?", nil, .whyQuestion),
            ("I believe you.", nil, .blaming),
        ]
        // act
        let evaluation = ReplyEvaluation(examples: examples, guard: Self.replyGuard)
        // check
        #expect(evaluation.harmfulRecall == 0.5)
        #expect(evaluation.supportiveFalsePositiveRate == 0.5)
        #expect(evaluation.precision(of: .supportive) == 0.5)
        #expect(evaluation.recall(of: .supportive) == 0.5)
        #expect(evaluation.precision(of: .whyQuestion) == 1)
        #expect(evaluation.recall(of: .blaming) == 0)
        #expect(evaluation.report.contains("harmful recall (held under any harmful label): 0.500"))
    }

    @Test func evaluationLoadsJSONLines() throws {
        // setup
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("reply-eval-\(UUID().uuidString).jsonl").path
        let lines = [
            #"{"reply": "I believe you", "label": "supportive", "lang": "en"}"#, "",
            #"{"reply": "Why?", "disclosure": "x", "label": "why_question"}"#,
        ]
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        // act
        let examples = try ReplyEvaluation.load(jsonLinesAt: path)
        // check
        #expect(examples.count == 2)
        #expect(examples[1].label == .whyQuestion)
        #expect(examples[1].disclosure == "x")
    }

    @Test(arguments: ["en", "es", "fr", "de", "pt"])
    func guidanceIsCalmAndNeverAsksWhy(_ language: String) {
        // setup
        let questionWords = ["why", "por qué", "por que", "pourquoi", "warum", "wieso", "?"]
        // act
        let texts =
            ReplyLabel.allCases.map { ReplyGuidance.explanation(for: $0, language: language) }
            + ReplyGuidance.supporterTips(language: language)
        // check
        for text in texts {
            #expect(!text.isEmpty)
            #expect(!questionWords.contains { text.lowercased().contains($0) }, "\(language): \(text)")
        }
        #expect(ReplyGuidance.supporterTips(language: language).count == 5)
    }

    @Test func guidanceFallsBackToEnglish() {
        // setup
        let unknown = "xx"
        // act
        let explanation = ReplyGuidance.explanation(for: .blaming, language: unknown)
        // check
        #expect(explanation == ReplyGuidance.explanation(for: .blaming, language: "en"))
        #expect(ReplyGuidance.supporterTips(language: unknown) == ReplyGuidance.supporterTips(language: "en"))
    }

    @Test func tokensFoldCaseAccentsAndApostrophes() {
        // setup
        let reply = "It’s NOT “your” fault, ¿por qué?"
        // act
        let text = ReplyText(reply)
        // check
        #expect(text.tokens == ["its", "not", "your", "fault", "por", "que", "?"])
        #expect(text.quoted == [false, false, true, false, false, false, false])
    }

    @Test(arguments: [
        // setup: the tokens tools/ngram_features.py prints for the same replies
        ("ok [slur], u f***ing b*tch", ["ok", "insultmasked", "u", "fucking", "bitch"]),
        ("*hugs* 2*3 hugs* sh** x*q", ["hugs", "2", "3", "hugs", "shit", "insultmasked"]),
        ("[deleted] [ Insulto ] Schl*mpe", ["deleted", "insultmasked", "schlampe"]),
    ])
    func maskedInsultsAreReadAsWhatTheyStandFor(reply: String, expected: [String]) {
        // act
        let text = ReplyText(reply)
        // check
        #expect(text.tokens == expected)
    }

    @Test(arguments: [
        ("you [slur]", ReplyLabel.hostile),
        ("eres una [insulto] y todos lo saben", .hostile),
        ("tu es une [insulte], voilà", .hostile),
        ("du bist so eine [Beleidigung]", .hostile),
        ("você é uma [ofensa] mesmo", .hostile),
        ("look at this b*tch", .hostile),
        ("people who call you a [slur] are wrong. I believe you", .supportive),
        ("te llaman p*ta por hablar, yo te creo", .supportive),
        ("die Kommentare, die dich Schl*mpe nennen, sind widerlich. Ich glaube dir", .supportive),
        ("quem te chama de v*dia está errado, eu acredito em você", .supportive),
        ("*hugs* I believe you", .supportive),
        // common tropes, one per language
        ("hmm, something in your story doesn't add up", .disbelief),
        ("yo estaba ahí esa noche y no pasó nada", .disbelief),
        ("c'était normal à l'époque, on ne juge pas ça avec les yeux d'aujourd'hui", .minimizing),
        ("wenn du ihm weiter geschrieben hast, dachte er halt, du willst was", .blaming),
        ("se você continuava respondendo, ele achou que você queria", .blaming),
    ])
    func maskedInsultsAtTheSurvivorAndCommonTropesAreHeldAndReportedInsultsAreNot(reply: String, expected: ReplyLabel) {
        // act
        let verdict = ReplyGuard().classify(reply)
        // check
        #expect(verdict.label == expected)
    }

}
