import Foundation
import Testing

@testable import ChorusCore

@Suite("Crisis detector")
struct CrisisDetectorTests {
    let detector = CrisisDetector()

    @Test(
        "Present danger and self-harm intent are crisis",
        arguments: [
            "he is outside my door right now",
            "I'm scared he will hurt me tonight",
            "I can't go on, I have the pills here",
            "i'm going to kill myself tonight",
            "Está afuera de mi puerta ahora mismo y tengo mucho miedo",
            "Ya no quiero vivir",
            "J'ai peur qu'il me fasse du mal ce soir",
            "Je vais me suicider",
            "Ich habe Angst, dass er mir heute Nacht wehtut",
            "Ich will nicht mehr leben",
            "Ele está na frente da minha porta agora e estou com muito medo",
            "Vou me matar hoje à noite",
        ]
    )
    func presentDangerIsCrisis(text: String) {
        // act
        let label = detector.classify(text)
        // check
        #expect(label == .crisis)
    }

    @Test(
        "Spacing between the words does not hide a cue",
        arguments: [
            "#MeToo I want to  kill myself", "#MeToo I want to\u{00A0}kill myself", "#MeToo I want\tto kill myself",
            "#MeToo he is going to  kill me", "#MeToo I\u{2019}m not\u{00A0}safe", "#MeToo je vais\u{202F}me tuer",
        ]
    )
    func spacingDoesNotHideACue(text: String) {
        // act
        let label = detector.classify(text)
        // check
        #expect(label == .crisis)
    }

    @Test(
        "A cue cut by a line break is still found, by the cue lists alone",
        arguments: [
            "#MeToo I want to\nkill myself", "he is banging\non my door", "je vais\nme tuer", "ich will\nmich umbringen",
            "tengo ganas\r\nde morir", "I am going to\n\nkill myself",
        ]
    )
    func aLineBreakDoesNotHideACue(text: String) {
        // act
        let label = CrisisDetector(model: nil).classify(text)
        // check
        #expect(label == .crisis)
    }

    @Test func aCueAcrossTwoLinesIsReadWithBothLinesContext() {
        // setup: the cue's first line tells a story in the past; its second line keeps to it
        let cuesAlone = CrisisDetector(model: nil)
        let story = "When I was 16 I kept thinking I want to\nkill myself\nI am safe and loved today"
        // act
        let label = cuesAlone.classify(story)
        // check
        #expect(label == .notCrisis)
        #expect(cuesAlone.classify("I was hurt in 2015.\nI want to\nkill myself") == .crisis)
    }

    @Test func runsOfSpaceFoldToOneAndLineBreaksStay() {
        #expect(CrisisReading.singleSpaced("a  b\u{00A0}c\td") == "a b c d")
        #expect(CrisisReading.singleSpaced("safe now. \r\n  he is here") == "safe now.\nhe is here")
        #expect(CrisisReading.singleSpaced("one space, one line\nbreak") == "one space, one line\nbreak")
        #expect(CrisisReading.singleSpaced("a blank line\n\nand a space \nbefore a break") == "a blank line\nand a space\nbefore a break")
    }

    @Test(
        "Past experiences told in the past tense are not crisis",
        arguments: [
            "I wanted to die back then, I'm doing better now",
            "he threatened to kill me in 2015",
            "I'm safe now",
            "Quería morir en ese entonces, ahora estoy mejor",
            "Me amenazó con matarme en 2015",
            "Je voulais mourir à l'époque, je vais mieux maintenant",
            "Il y a des années j'avais peur qu'il me tue. Je m'en suis sortie.",
            "Damals wollte ich sterben, heute geht es mir besser",
            "Er sagte immer, er bringt mich um, wenn ich gehe. Ich bin trotzdem gegangen, vor 8 Jahren.",
            "Eu queria morrer naquela época, agora estou melhor",
            "Ele ameaçou me matar em 2015",
        ]
    )
    func pastExperienceIsNotCrisis(text: String) {
        // act
        let label = detector.classify(text)
        // check
        #expect(label == .notCrisis)
    }

    @Test(
        "Negated intent is not crisis",
        arguments: [
            "I'm not going to hurt myself, I promise. I'm just angry.",
            "I don't want to die, I want the abuse to stop being ignored.",
            "No me voy a hacer daño, lo prometo.",
            "Não vou me machucar, prometo.",
        ]
    )
    func negatedIntentIsNotCrisis(text: String) {
        // act
        let label = detector.classify(text)
        // check
        #expect(label == .notCrisis)
    }

    @Test(
        "Supporters' replies, news, figures of speech and everyday posts are not crisis",
        arguments: [
            "the bus is late",
            "hello world",
            "le bus est en retard",
            "der bus ist zu spät",
            "o onibus ta atrasado",
            "If you're in danger, call 911. I believe you.",
            "If you ever feel like you want to die, please call 988. You matter.",
            "This traffic is killing me",
            "lol my mom is going to kill me when she sees my haircut",
            "Ces bouchons me tuent",
            "Ich sterbe vor Lachen",
            "Detienen a un hombre por amenazar de muerte a su exesposa",
        ]
    )
    func supportAndIdiomsAreNotCrisis(text: String) {
        // act
        let label = detector.classify(text)
        // check
        #expect(label == .notCrisis)
    }

    @Test(
        "A story of recovery is not danger now, whatever its \"today\"",
        arguments: [
            "Years ago I wanted to die, but I got help and I'm doing better now.",
            "Moi aussi. Pendant longtemps je ne voulais plus vivre. Aujourd'hui ça va mieux.",
            "Ich auch. Lange Zeit wollte ich nicht mehr leben. Heute geht es mir besser.",
            "Eu também. Por muito tempo não quis mais viver. Hoje estou melhor.",
            "Hace años quise morir, pero hoy estoy mejor.",
        ]
    )
    func recoveryIsNotCrisis(text: String) {
        // act
        let crisis = detector.isCrisis(text)
        // check
        #expect(!crisis)
    }

    @Test(
        "Danger now stays danger, even beside words of being better",
        arguments: [
            "I'm better off dead. I want to die tonight.",
            "I used to cut myself and I got help, but tonight I want to die again.",
            "I'm better than I was years ago, but I want to die.",
            "Il y a des années j'allais mieux, mais je veux mourir.",
            "Há anos eu estava melhor, mas quero morrer.",
            "Heute will ich sterben.",
            "I was doing better for years. Tonight I can't do this anymore, I have the pills here.",
            "He is outside my door right now and I am terrified",
            "no estoy bien, quiero morir esta noche",
            "não estou bem, ele está na minha porta agora mesmo",
        ]
    )
    func dangerBesideRecoveryWordsIsCrisis(text: String) {
        // act
        let crisis = detector.isCrisis(text)
        // check
        #expect(crisis)
    }

    @Test(
        "A laugh does not hide two signals of danger: people in danger deflect with one too",
        arguments: [
            "#MeToo I have the pills in my hand haha. goodbye everyone",
            "#MeToo I am going to end it tonight lol. nobody will miss me",
            "#EuTambém ele está na minha porta agora mesmo kkkk socorro estou com medo",
            "#YoTambién está afuera de mi puerta ahora mismo jajaja tengo miedo",
        ]
    )
    func laughterWithTwoSignalsIsStillCrisis(text: String) {
        // act
        let crisis = detector.isCrisis(text)
        // check
        #expect(crisis)
    }

    /// A pledge says what its writer will do: only the cue lists judge it (the model read "I will listen." as intent).
    @Test func aPledgeIsJudgedByTheCueListsOnly() {
        // act
        let plain = ["I will listen and believe.", "I will learn what consent means and teach it to the young people in my life."]
            .map { detector.isCrisis($0, cuesOnly: true) }
        let inDanger = detector.isCrisis("#IWill stand with you. I am going to end it tonight", cuesOnly: true)
        // check
        #expect(plain == [false, false])
        #expect(inDanger)
    }

    @Test func negationDoesNotHideAnOngoingThought() {
        // setup
        let text = "I can't stop thinking about suicide and I have the rope"
        // act
        let crisis = detector.isCrisis(text)
        // check
        #expect(crisis)
    }

    @Test func everyCuePatternCompilesOnItsOwn() throws {
        // setup
        let lexicon = CrisisLexicon.all
        let sources =
            lexicon.strong + lexicon.weak + lexicon.past + lexicon.reported + lexicon.now + lexicon.distance + lexicon.joke + lexicon.recovered
        // act
        let failures = sources.filter { (try? NSRegularExpression(pattern: $0)) == nil }
        // check
        #expect(failures.isEmpty, "invalid patterns: \(failures)")
    }

    @Test func openingWordsAreOnlyTakenWhereEveryMatchStartsWithOne() {
        // act
        let literal = CuePattern.openingWords(of: #"\bhow to kill myself\b"#)
        let alternatives = CuePattern.openingWords(of: #"\b(want|wanna) (to )?die\b"#)
        let apostrophe = CuePattern.openingWords(of: #"\b(is|'s) outside\b"#)
        let quantified = CuePattern.openingWords(of: #"\b(haha+|lol)\b"#)
        let endings = CuePattern.openingWords(of: #"\b(think(ing)?|thought) (about|of) dying\b"#)
        let nested = CuePattern.openingWords(of: #"\b(he|my (husband|ex)) hits me\b"#)
        let endingOnly = CuePattern.openingWords(of: #"\bfeel(ing)? like dying\b"#)
        let partOfWord = CuePattern.openingWords(of: #"\bcarta(s)?de\b"#)
        let optionalGroup = CuePattern.openingWords(of: #"\b(me )?pregunto si\b"#)
        let pair = CuePattern.openingWords(of: #"\bme (quiero|voy a) (morir|matar)\b"#)
        let optionalWords = CuePattern.openingWords(of: #"\bme amenaza( con)?\b"#)
        let singleOnly = CuePattern.openingWords(of: #"\bhow to kill myself\b"#, pairs: false)
        // check
        #expect(literal == ["how to"])
        #expect(alternatives == ["want", "wanna"])
        #expect(apostrophe == nil)
        #expect(quantified == nil)
        #expect(endings == ["think", "thinking", "thought"])
        #expect(nested == ["he", "my husband", "my ex"])
        #expect(endingOnly == ["feel like", "feeling like"])
        #expect(partOfWord == nil)
        #expect(optionalGroup == ["me", "pregunto si"])
        #expect(pair == ["me quiero", "me voy"])
        #expect(optionalWords == ["me amenaza"])
        #expect(singleOnly == ["how"])
    }

    @Test func aTextsWordsArePairedOnlyAcrossOneSpaceAfterAWordThatStartsPairs() {
        // act
        let words = CrisisReading.words(in: "me quiero ir, me  voy. me: dice me", pairingAfter: ["me", "dice"])
        let apostrophes = CrisisReading.words(in: "if you'd l'me quiero", pairingAfter: ["if", "me"])
        // check
        #expect(words == ["me", "quiero", "ir", "voy", "dice", "me quiero", "dice me"])
        #expect(apostrophes == ["if", "you'd", "l'me", "quiero", "if you'd", "if you"])
    }

    @Test(
        "Crisis in indirect words, beyond the cue lists, is crisis",
        arguments: [
            "I've written the letters. They're on the kitchen table.",
            "He took my phone, I'm locked in the bathroom typing on my tablet",
            "ya no aguanto más, tengo las pastillas aquí al lado",
            "je vais en finir ce soir, je voulais juste que quelqu'un le sache",
            "er steht unten vor der Haustür und klingelt ununterbrochen",
            "ele está aqui em casa agora e eu tô com medo",
        ]
    )
    func indirectCrisisIsCrisis(text: String) {
        // act
        let label = detector.classify(text)
        // check
        #expect(label == .crisis)
    }

    @Test(
        "The model's hits keep the past-tense and distance cancellations",
        arguments: [
            "I used to type from under the bed when he was looking for me. That was years ago.",
            "When I was 15 I swallowed a handful of pills. My mum found me in time.",
            "If you're locked in and he took your phone, call the police from any device.",
            "The film shows a woman hiding in the bathroom while her husband rages outside.",
        ]
    )
    func modelHitsKeepCancellations(text: String) {
        // act
        let label = detector.classify(text)
        // check
        #expect(label == .notCrisis)
    }

    @Test func bundledModelLoadsAndScoresInRange() throws {
        // setup
        let model = try #require(CrisisModel.shared)
        // act
        let danger = model.probability(of: "he's at my door right now and I'm scared")
        let calm = model.probability(of: "thank you all, I'm safe and doing well")
        // check
        #expect((0...1).contains(danger) && (0...1).contains(calm))
        #expect(danger > calm)
        #expect((0.05...0.95).contains(model.threshold))
        #expect((0...model.threshold).contains(model.ruleFloor))
    }

    @Test func featureTokensFoldCaseAccentsAndApostrophes() {
        // setup
        let text = "He’s at the DOOR, ¿qué hago? Straße"
        // act
        let tokens = CrisisFeatures.tokens(of: text)
        // check
        #expect(tokens == ["hes", "at", "the", "door", "que", "hago", "?", "strasse"])
    }

    @Test func developmentSetIsClassifiedWell() throws {
        // setup
        let path = URL(fileURLWithPath: #filePath).appendingPathComponent("../../../data/dev/crisis-dev.jsonl").standardized.path
        let examples = try CrisisEvaluation.loadWithLanguage(jsonLinesAt: path)
        // act
        let evaluation = CrisisEvaluation(examples: examples, detector: detector)
        // check
        #expect(examples.count >= 300)
        #expect(evaluation.precision >= 0.95)
        #expect(evaluation.recall >= 0.95)
    }
}

@Suite("Crisis labelling and evaluation")
struct CrisisLabellingTests {
    @Test func labellingKeepsEveryOtherField() throws {
        // setup
        let line = #"{"id": 7, "text": "he is outside my door right now", "lang": "en", "meta": {"source": "dev"}}"#
        // act
        let labelled = try CrisisLabelling.label(jsonLine: line, with: CrisisDetector())
        // check
        let record = try #require(try JSONSerialization.jsonObject(with: Data(labelled.utf8)) as? [String: Any])
        #expect(record["label"] as? String == "crisis")
        #expect(record["id"] as? Int == 7)
        #expect(record["lang"] as? String == "en")
        #expect((record["meta"] as? [String: Any])?["source"] as? String == "dev")
        #expect(record["text"] as? String == "he is outside my door right now")
    }

    @Test func labellingReplacesAnExistingLabel() throws {
        // setup
        let line = #"{"text": "I'm safe now", "label": "crisis"}"#
        // act
        let labelled = try CrisisLabelling.label(jsonLine: line, with: CrisisDetector())
        // check
        #expect(labelled == #"{"label":"not_crisis","text":"I'm safe now"}"#)
    }

    @Test func labellingALineWithoutTextFails() {
        // act / check
        #expect(throws: CrisisLabelling.Failure.missingText) {
            try CrisisLabelling.label(jsonLine: #"{"body": "hi"}"#, with: CrisisDetector())
        }
        #expect(throws: CrisisLabelling.Failure.notAnObject) {
            try CrisisLabelling.label(jsonLine: #"["text"]"#, with: CrisisDetector())
        }
    }

    @Test func evaluationCountsConfusionPerLanguage() {
        // setup
        let examples: [(text: String, label: CrisisLabel, lang: String)] = [
            ("he is outside my door right now", .crisis, "en"),
            ("I'm safe now", .crisis, "en"),
            ("Ya no quiero vivir", .crisis, "es"),
            ("Este tráfico me está matando", .notCrisis, "es"),
        ]
        // act
        let evaluation = CrisisEvaluation(examples: examples, detector: CrisisDetector())
        // check
        #expect(evaluation.overall == .init(truePositives: 2, falsePositives: 0, falseNegatives: 1, trueNegatives: 1))
        #expect(evaluation.precision == 1)
        #expect(abs(evaluation.recall - 2.0 / 3.0) < 1e-9)
        #expect(evaluation.byLanguage["es"]?.trueNegatives == 1)
        #expect(evaluation.report.contains("precision 100.0%"))
        #expect(evaluation.report.contains("\nes "))
    }

    @Test func loadingRejectsAnUnknownLabel() throws {
        // setup
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("crisis-\(UUID().uuidString).jsonl").path
        let contents = "{\"text\": \"a\", \"label\": \"crisis\"}\n\n{\"text\": \"b\", \"label\": \"maybe\"}\n"
        try contents.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        // act / check
        #expect(throws: CrisisEvaluation.LoadFailure.self) { try CrisisEvaluation.load(jsonLinesAt: path) }
    }
}
