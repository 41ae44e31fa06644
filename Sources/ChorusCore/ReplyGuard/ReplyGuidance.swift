/// Calm, trauma-informed words for the *writer* of a held reply: what it looked like, and how to support instead.
///
/// Follows RAINN's tips for supporters: believe them; tell them it is not their fault; let them know they are not
/// alone; leave questions about what happened to the experts; tell them it took courage. The wording never blames
/// the writer and never asks them anything.
public enum ReplyGuidance {
    /// One or two sentences on the kind of reply it looked like, in "en", "es", "fr", "de" or "pt" (anything else: English).
    public static func explanation(for label: ReplyLabel, language: String) -> String {
        let texts = explanations[supported(language)] ?? explanations["en"]!
        return texts[label] ?? texts[.supportive]!
    }

    /// Short suggestions for supporting a survivor, in "en", "es", "fr", "de" or "pt" (anything else: English).
    public static func supporterTips(language: String) -> [String] {
        tips[supported(language)] ?? tips["en"]!
    }

    /// The held reply's notice to its writer in an app (where it stands in for the content warning): it waits, and
    /// only they see it.
    public static func waitingNotice(language: String) -> String {
        [
            "en": "Waiting for review: only you can see this reply.", "es": "En espera de revisión: solo tú puedes ver esta respuesta.",
            "fr": "En attente de relecture : cette réponse n'est visible que par vous.", "de": "Wartet auf Prüfung: Nur du siehst diese Antwort.",
            "pt": "Aguardando revisão: só você vê esta resposta.",
        ][supported(language)]!
    }

    /// Where the writer may rewrite or withdraw it, before the link.
    public static func rewriteInvitation(language: String) -> String {
        [
            "en": "You can rewrite it (edit it in your app) or withdraw it:", "es": "Puedes reescribirla (edítala en tu app) o retirarla:",
            "fr": "Vous pouvez la réécrire (modifiez-la dans votre app) ou la retirer :",
            "de": "Du kannst sie umschreiben (in deiner App bearbeiten) oder zurückziehen:",
            "pt": "Você pode reescrevê-la (edite no seu app) ou retirá-la:",
        ][supported(language)]!
    }

    private static func supported(_ language: String) -> String {
        let code = String(language.lowercased().prefix(2))
        return tips[code] == nil ? "en" : code
    }

    private static let tips: [String: [String]] = [
        "en": [
            "Start by believing them: \"I believe you.\"", "Let them know it is not their fault.",
            "Let them know they are not alone.", "Leave questions about what happened to the experts.",
            "Tell them you know how much courage it took to share this.",
        ],
        "es": [
            "Empieza por creer a la persona: «Te creo».", "Hazle saber que no es su culpa.", "Hazle saber que no está sola ni solo.",
            "Deja las preguntas sobre lo ocurrido a las personas expertas.", "Dile que sabes el valor que hizo falta para contarlo.",
        ],
        "fr": [
            "Commencez par croire la personne : « Je te crois. »", "Dites-lui que ce n'est pas sa faute.", "Dites-lui qu'elle n'est pas seule.",
            "Laissez les questions sur ce qui s'est passé aux spécialistes.", "Dites-lui que vous savez le courage qu'il a fallu pour en parler.",
        ],
        "de": [
            "Glaub der Person zuerst: „Ich glaube dir.“", "Sag ihr, dass es nicht ihre Schuld ist.", "Sag ihr, dass sie nicht allein ist.",
            "Überlass Fragen zum Geschehen den Fachleuten.", "Sag ihr, dass du weißt, wie viel Mut es gekostet hat, das zu erzählen.",
        ],
        "pt": [
            "Comece acreditando na pessoa: “Eu acredito em você.”", "Diga que não é culpa dela.", "Diga que ela não está sozinha.",
            "Deixe as perguntas sobre o que aconteceu para especialistas.", "Diga que você sabe quanta coragem foi preciso para contar.",
        ],
    ]

    private static let explanations: [String: [ReplyLabel: String]] = [
        "en": [
            .supportive: "This reply reads as supportive. Thank you for being there for them.",
            .blaming: "This reply may sound as if part of what happened was their responsibility. It never is: "
                + "the person who caused harm is the one responsible.",
            .disbelief: "This reply may sound as if their account is being doubted. Being believed is one of the most "
                + "healing things a survivor can hear.",
            .whyQuestion: "This reply asks about their choices. Even a kind question can feel like blame; those questions "
                + "are best left to the experts.",
            .minimizing: "This reply may make what happened sound smaller than it felt to them. Their experience is "
                + "real and it matters.",
            .hostile: "This reply contains words that could hurt or frighten someone who has just shared something painful.",
        ],
        "es": [
            .supportive: "Esta respuesta se lee como un apoyo. Gracias por estar ahí.",
            .blaming: "Esta respuesta puede sonar como si parte de lo ocurrido fuera su responsabilidad. Nunca lo es: "
                + "la responsabilidad es de quien hizo daño.",
            .disbelief: "Esta respuesta puede sonar como si se dudara de su relato. Que le crean es de lo que más ayuda a sanar.",
            .whyQuestion: "Esta respuesta pregunta por sus decisiones. Incluso una pregunta amable puede sentirse como culpa; "
                + "es mejor dejar esas preguntas a las personas expertas.",
            .minimizing: "Esta respuesta puede hacer que lo ocurrido parezca menor de lo que fue para esa persona. "
                + "Su experiencia es real e importa.",
            .hostile: "Esta respuesta contiene palabras que pueden herir o asustar a alguien que acaba de compartir algo doloroso.",
        ],
        "fr": [
            .supportive: "Cette réponse se lit comme un soutien. Merci d'être là.",
            .blaming: "Cette réponse peut laisser entendre qu'une part de ce qui s'est passé relève de sa responsabilité. "
                + "Ce n'est jamais le cas : la responsabilité revient à la personne qui a fait du mal.",
            .disbelief: "Cette réponse peut donner l'impression que son récit est mis en doute. Être cru·e aide énormément à se reconstruire.",
            .whyQuestion: "Cette réponse interroge ses choix. Même une question bienveillante peut sonner comme un reproche ; "
                + "mieux vaut laisser ces questions aux spécialistes.",
            .minimizing: "Cette réponse peut faire paraître ce qui s'est passé moins grave que ce que la personne a vécu. "
                + "Son expérience est réelle et elle compte.",
            .hostile: "Cette réponse contient des mots qui peuvent blesser ou effrayer une personne qui vient de confier "
                + "quelque chose de douloureux.",
        ],
        "de": [
            .supportive: "Diese Antwort wirkt unterstützend. Danke, dass du da bist.",
            .blaming: "Diese Antwort kann so klingen, als läge ein Teil des Geschehens in der Verantwortung der betroffenen Person. "
                + "Das ist nie so: Verantwortlich ist, wer den Schaden angerichtet hat.",
            .disbelief: "Diese Antwort kann so klingen, als würde der Bericht der betroffenen Person angezweifelt. "
                + "Geglaubt zu werden hilft Betroffenen sehr.",
            .whyQuestion: "Diese Antwort fragt nach den Entscheidungen der betroffenen Person. "
                + "Auch eine freundliche Frage kann sich wie ein Vorwurf anfühlen; solche Fragen sind bei Fachleuten besser aufgehoben.",
            .minimizing: "Diese Antwort kann das Geschehene kleiner wirken lassen, als es sich für die betroffene Person angefühlt hat. "
                + "Ihre Erfahrung ist echt und sie zählt.",
            .hostile: "Diese Antwort enthält Worte, die jemanden verletzen oder ängstigen können, der gerade etwas Schmerzhaftes geteilt hat.",
        ],
        "pt": [
            .supportive: "Esta resposta soa como apoio. Obrigado por estar presente.",
            .blaming: "Esta resposta pode soar como se parte do que aconteceu fosse responsabilidade da pessoa. Nunca é: "
                + "a responsabilidade é de quem causou o dano.",
            .disbelief: "Esta resposta pode soar como se o relato da pessoa estivesse sendo posto em dúvida. "
                + "Ser acreditado ou acreditada ajuda muito a se curar.",
            .whyQuestion: "Esta resposta questiona as escolhas da pessoa. Mesmo uma pergunta gentil pode soar como culpa; "
                + "é melhor deixar essas perguntas para especialistas.",
            .minimizing: "Esta resposta pode fazer o que aconteceu parecer menor do que foi para a pessoa. A experiência dela é real e importa.",
            .hostile: "Esta resposta tem palavras que podem ferir ou assustar alguém que acabou de contar algo doloroso.",
        ],
    ]
}
