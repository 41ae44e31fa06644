extension CrisisLexicon {
    /// English cues. Signals are first person and present or future tense on purpose:
    /// "I wanted to die" or "he threatened to kill me" are stories told, not danger now.
    static let english = CrisisLexicon(
        strong: [
            // self-harm intent and danger now
            #"\b(my|is my) last (night|day|post)\b(?! (at|in|of|with|before))"#,
            #"\busing it on myself\b"#,
            #"\b(use|using) (it|a knife|the knife|a blade) on myself\b"#,
            #"\b(think(ing)?|thought) (about|of) (jumping|hanging myself|overdosing|cutting myself|taking (all )?(my|the) pills|not waking up)\b"#,
            #"\bfeel(ing)? like (dying|killing myself|ending (it|my life)|ending it all)\b"#,
            #"\b(won't|will not|don't think i'll|dont think ill|don't think i will) (be alive|be here|make it) (tomorrow|"#
                + #"through the night|much longer)\b"#,
            #"\b(should|might as well|may as well) (just )?(kill myself|die|end it)\b"#,
            #"\b(sleep|go to sleep) and never wake up\b"#,
            #"\blife (isn't|is not|ain't) worth living\b"#,
            #"\b(fear|afraid|scared) for my life\b"#,
            #"\bcut myself (again|tonight|today|right now)\b"#,
            #"\b(took|taken|swallowed) \d+ (pills|tablets)\b"#,
            #"\b(i|i've|ive) (locked|barricaded) (myself|the (bathroom|bedroom|door))\b"#,
            #"\b(he|she|they|my (husband|boyfriend|ex|partner|father|dad|stepfather|wife|girlfriend)) (hits|beats|rapes|"#
                + #"chokes|strangles|abuses) me\b"#,
            #"\b(says|said|told me)( that)? if i .{0,40}(he'll|he will|she'll|she will|they'll) (kill|hurt) me\b"#,
            #"\b(want|wanna|need|going|gonna|planning|plan|ready|about|decided|trying) (to )?(die|kill myself|end (it all|"#
                + #"it|my life|everything)|take my (own )?life|hurt myself|cut myself|overdose)\b"#,
            #"\b(i'll|ill|i will|i'm going to|im going to|i am going to) (kill myself|end it|end my life|do it tonight|hurt myself)\b"#,
            #"\b(think(ing)?|thoughts) (about|of) (how to )?(kill(ing)? myself|suicide|ending (it|my life)|ending it all|dying)\b"#,
            #"\bhow to kill myself\b"#,
            #"\b(going to|gonna|want to|wanna|about to) (jump|jump off|throw myself)\b"#,
            #"\b(i've|ive|i have|just) (taken|took|swallowed) (all|the whole|every)\b"#,
            #"\b(i wish|wish) i (was|were) dead\b"#,
            #"\b(i'm|im|i am) bleeding\b"#,
            #"\b(won't|wont|will not|doesn't|does not) let me (leave|go|out|call)\b"#,
            #"\b(trying|tries|is trying) to (get in|break in|break the door|kick (in )?the door|get into)\b"#,
            #"\b(i'm|im|i am) (locked in|trapped)\b"#,
            #"\b(i|i'm|im) (don't|dont|do not) feel safe\b"#,
            #"\bscared for my life\b"#,
            #"\b(i'm|im|i am|feeling|feel) (so |really |very )?suicidal\b"#,
            #"\b(don't|dont|do not) want to (live|be alive|be here|wake up|exist)( anymore| any more)?\b"#,
            #"\b(no reason to live|nothing (left )?to live for|better off dead|better off without me)\b"#,
            #"\b(i|i've|ive) (have|got|'ve got|bought) (the|my|enough|all the) (pills|rope|gun|razor|blade)s?\b"#,
            #"\b(have|got|holding) a (razor|blade|knife|gun) in my hand\b"#,
            #"\b(pills|rope|razor|gun) (is |are )?(here|ready|next to me|in front of me)\b"#,
            #"\b(wrote|written|writing|leaving) (my |a )?(goodbye (letter|note|message)s?|suicide note)\b"#,
            #"\b(i'm|im|i am) (standing )?(on|at) the (bridge|roof|ledge|edge|tracks)\b"#,
            #"\b(took|swallowed|taken) (a bunch of|all (my|the|of my)|too many|a lot of|the whole (bottle|box|pack) of|"#
                + #"a whole (bottle|box) of) (pills|meds|tablets|sleeping pills)\b"#,
            #"\b(keep|keeps|i'm|im|am|started) cutting (myself|again)\b"#,
            #"\b(can't|cant|cannot) keep myself safe\b"#,
            #"\b(i'm|im|i am) (going to|gonna) (end it|do it) tonight\b"#,
            // more danger from someone, now
            #"\b(is|'s|are|'re|standing|waiting|sitting|parked|banging|knocking) (right )?(outside|at|in front of|by) (my|"#
                + #"the) (door|house|home|window|apartment|flat|room|car|work)\b"#,
            #"\b(banging|pounding|kicking|hammering) (on|at|in) (my|the) (door|window)\b"#,
            #"\b(just|is|'s|are|trying to|about to) (broke|break|breaking|broken) (in|into|down)\b"#,
            #"\b(he|she|they|he's|she's|someone|somebody|my ex)( has| have|'s got| got| is holding| is carrying) (a|his|"#
                + #"her) (knife|gun|weapon|pistol)\b"#,
            #"\b(hiding|hidden|locked myself) (in|inside|under)\b"#,
            #"\blocked me (in|up|inside)\b"#,
            #"\b(is|'s|are|'re|keeps|keep) (following|stalking|threatening|choking|hitting|beating|chasing|hurting|raping|"#
                + #"attacking|strangling|kicking) me\b"#,
            #"\b(going to|gonna|will|'ll|wants to|is coming to|coming to|on (his|her|their|the) way to|threatening to|"#
                + #"threatens to|about to|says he'll|says he will|says she'll) (kill|hurt|rape|beat|shoot|stab|strangle) me\b"#,
            #"\b(scared|afraid|terrified|frightened|worried)( that)? (he|she|they|he'll|she'll|they'll)( will| is going to|"#
                + #" 's going to|'s going to|'s gonna| might| may| is gonna)? (hurt|kill|rape|beat|find|come (into|in|back|for)|"#
                + #"break in)\b"#,
            #"\b(he|she|they) (will|'ll|is going to) find me\b"#,
            #"\b(i'm|im|i am) in danger\b"#,
            #"\b(i'm|im|i am) not safe\b"#,
            #"\b(just texted|just told me|is texting|keeps texting) (that )?(he|she|they)('s| is| are)? (on (his|her|their) way|coming)\b"#,
        ],
        weak: [
            #"\bjust (hit|punched|slapped|kicked|choked|strangled|raped|attacked|hurt|beat|pushed) me\b"#,
            #"\b(he's|she's|he is|she is|they're|they are) (still )?(in|at|outside|inside|downstairs|upstairs|in front of) (the|my|our)\b"#,
            #"\b(found|knows|has) my (new )?(address|location|place)\b"#,
            #"\b(i'm|im|i am) (hiding )?(in|under) (the|a|my) (closet|wardrobe|bathroom|bed|car)\b"#,
            #"\b(i'm|im|i am) (so |really |very )?(scared|afraid|terrified)( right now)?(?! (to|of) (post|share|say|tell|"#
                + #"speak|be judged|being|hit|talk|write))\b"#,
            #"\b(saving|collecting|hoarding|stockpiling) (up )?(pills|tablets|meds)\b"#,
            #"\b(taking|take|swallow|swallowing) (them|it) all\b"#,
            #"\b(isn't|is not) worth it anymore\b"#,
            #"\b(sleep|disappear) forever\b"#,
            #"\b(i've got|ive got|i have|i've|got) (my |the |a |his |her )?([a-z]+'s )?(gun|pills|rope|knife|razor|blade)s?\b"#,
            #"\b(i'm|im|i am) done\b"#,
            #"\b(can't|cant) (anymore|take it)\b"#,
            #"\bwhat (do|should) i do\b"#,
            #"\b(he's|she's|he is|she is|they're|they are) (screaming|yelling|shouting|raging|drunk|watching me)\b"#,
            #"\b(watching|watches) me\b"#,
            #"\b(do it|end it) tonight\b"#,
            #"\bon (his|her|their) way (here|over|to my)\b"#,
            #"\b(everyone|everybody) would be better off\b"#,
            #"\b(can't|cant|cannot) (go on|do this anymore|take (it|this) anymore|keep going|live like this)\b"#,
            #"\b(no point|no way out|nobody would (miss|care)|no one would (miss|care)|everyone would be better)\b"#,
            #"\btonight is the night\b"#,
            #"\bi have a plan\b"#,
            #"\bwant (the|this) pain to (stop|end)\b"#,
            #"\b(please help( me)?|help me|someone help|help,|help!)"#,
            #"\bwant to disappear\b"#,
            #"\b(goodbye everyone|this is my last post|won't be here tomorrow|i'm sorry for everything)\b"#,
            #"\b(i'm|im|i am) (so )?terrified\b"#,
            #"\b(just|tonight) (been )?(raped|assaulted|attacked)\b"#,
            #"\b(he|she|they|he's|she's)( is|'s| are)? (home|here|back|outside|inside)( now| again| right now)\b"#,
            #"\b(last night|this morning|an hour ago|just now|yesterday|tonight) (he|she|they) (hit|choked|strangled|raped|beat|attacked|hurt)\b"#,
            #"\b(hit|choked|strangled|raped|beat|attacked) me (last night|this morning|an hour ago|yesterday|tonight)\b"#,
            #"\b(scared|terrified|afraid) to go home\b"#,
            #"\b(i'm|im|i am) alone\b"#,
        ],
        past: [
            #"\bback then\b"#, #"\b(years|months|decades|a long time|long) ago\b"#, #"\bwhen i was\b"#, #"\bused to\b"#,
            #"\bas a (kid|child|teen|teenager|girl|boy|student)\b"#, #"\bin (19|20)\d\d\b"#, #"\bin (college|high school|school)\b"#,
            #"\bat (the )?age (of )?\d+\b"#, #"\blast year\b"#, #"\bat the time\b"#, #"\bi was (\d+|nine|ten|eleven|twelve|thirteen)\b"#,
            #"\bthat (night|year|summer)\b"#, #"\bin the past\b"#, #"\bfor years\b"#,
        ],
        reported: [#"\b(he|she|they) (said|used to say|would say|always said)\b"#],
        now: [#"\b(right )?now\b"#, #"\btonight\b"#, #"\btoday\b"#, #"\bat the moment\b"#, #"\bcurrently\b"#, #"\bthis (minute|second)\b"#],
        distance: [
            // A supporter's answer: "I'm here for you", "I believe you".
            #"\b(i'm|im|i am) (always |still |right )?(here|there) for (you|u)\b"#, #"\bi believe (you|u)\b"#,
            #"\bif (you|you're|youre|your|someone|anyone|a friend|somebody)\b"#, #"\bif (he|she|they) ever\b"#, #"\bwhat (would|should|do) you\b"#,
            #"\bto (anyone|everyone|those)( reading)?( who|,)"#, #"\banyone who\b"#, #"\basked (me )?(if|whether)\b"#,
            #"\b(article|news|study|report|reported|according to|charged|arrested|sentenced|convicted)\b"#,
            #"\b(movie|film|novel|series|episode|villain|character)\b"#,
        ],
        joke: [#"\b(lol|lmao|haha+|hehe)\b"#, "😂", "🤣"],
        negations: ["not", "never", "no", "don", "won", "isn", "aren", "didn", "doesn", "wouldn", "dont", "wont", "nor"],
        recovered: [
            #"\b(i'm|im|i am) (doing )?(much |a lot |so much )?better(?! off)( now| today)?\b"#, #"\bdoing (much |a lot |so much )?better\b"#,
            #"\b(i'm|im|i am) (ok|okay|safe|healing|recovering|in therapy)( now)?\b(?! with)"#, #"\bi got (help|out)\b"#,
        ]
    )
}
