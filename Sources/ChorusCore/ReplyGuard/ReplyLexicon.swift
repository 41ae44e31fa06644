/// Phrases that mark harmful replies, per language, plus the words that cancel or report them.
///
/// The lists are written from how victim-blaming, disbelief, "why" questions, minimising and abuse are usually
/// phrased, not copied from any data set. Spelling is folded the way `ReplyText` folds it: lower case, no accents,
/// no apostrophes ("didn't" -> "didnt", "c'est" -> "cest"), starred words unmasked; `insultmasked` is a bracketed
/// placeholder for an insult ("[slur]").
enum ReplyLexicon {
    /// Every pattern of every language (the guard does not need to know the reply's language).
    static let all: [ReplyPattern] = [english, spanish, french, german, portuguese].flatMap { groups in
        groups.flatMap { label, phrases in phrases.map { ReplyPattern(label, $0) } }
    }

    /// A negation shortly before a phrase turns it around: "it's not your fault", "no fue tu culpa".
    static let negations: Set<String> = [
        "not", "no", "never", "nobody", "none", "nothing", "isnt", "wasnt", "dont", "doesnt", "didnt", "cant", "wont",
        "arent", "werent", "shouldnt", "neither", "nor", "without", "hardly", "nunca", "nadie", "nada", "ni", "jamas",
        "sin", "tampoco", "pas", "jamais", "personne", "rien", "sans", "ne", "nest", "na", "netait", "ny", "nai", "nas",
        "nicht", "kein", "keine", "keiner", "keinen", "keinem", "niemand", "nie", "niemals", "nichts", "ohne", "weder",
        "nao", "ninguem", "nem", "sem", "nenhum", "nenhuma",
    ]

    /// Words that introduce someone else's words: "people who *say* you should have…", "they'll *ask* why…".
    static let reporting: Set<String> = [
        "say", "says", "saying", "said", "tell", "tells", "told", "telling", "ask", "asks", "asking", "asked",
        "questions", "owe", "explanation", "explain", "claim", "claims", "hear", "heard", "dice", "dicen",
        "dijo", "dijeron", "decir", "diga", "digan", "preguntan", "preguntaran", "preguntara", "preguntar",
        "preguntas", "explicacion", "dit", "disent", "dire", "disait", "demande", "demandent", "demander",
        "demanderont", "explication", "dexplication", "sagt", "sagen", "gesagt", "sagte", "sagten", "fragt", "fragen",
        "fragten", "gefragt", "erklarung", "schuldest", "diz", "dizem", "disse", "disseram", "dizer", "perguntam",
        "perguntar", "perguntas", "perguntarao", "explicacao", "disser", "disserem", "call", "calls",
        "calling", "called", "llama", "llaman", "llamo", "llamaron", "llamen", "llamar", "llamandola", "llamandote",
        "traite", "traitent", "traiter", "traitee", "traitait", "retraite", "chama", "chamam", "chamou", "chamaram",
        "chamar", "chamada", "chamado", "chamando", "xinga", "xingam", "xingou", "xingar", "nennt", "nennen",
    ]

    /// German puts the reporting verb after the words reported: "die Kommentare, die sie *** nennen".
    static let reportingAfter: Set<String> = [
        "nennt", "nennen", "genannt", "nannte", "nannten", "beschimpft", "beschimpfen",
    ]

    /// Concessions that turn a phrase around like a negation: "*even if* it was years ago, it matters", "*peu importe*
    /// combien tu as bu", "*egal*, was du anhattest", "*da igual* lo que bebieras".
    static let concessions: Set<String> = [
        "even", "whether", "aunque", "incluso", "meme", "mesmo", "selbst", "importe", "egal", "igual",
    ]

    /// Negations and concessions together.
    static let turning = negations.union(concessions)

    /// "Just saying" is the writer's own voice, not a report.
    static let reportingSofteners: Set<String> = ["just", "solo", "nur", "juste", "so", "ehrlich", "sinceramente"]
}
