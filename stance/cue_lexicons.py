"""The word lists and phrases behind the authorial-stance cues of :mod:`stance.text`, and the
cues' names and descriptions (pure data, no Django).

Kept apart from the analysis so that the rules read as rules and the lists can grow without
touching them. Every list is lower-case.
"""

from __future__ import annotations

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from stance.lexicons import words as _words

FIRST_PERSON_SINGULAR = _words("i me my mine myself i'm i've i'd i'll")
FIRST_PERSON_PLURAL = _words("we us our ours ourselves we're we've we'd we'll let's")
SECOND_PERSON = _words("you your yours yourself yourselves you're you've you'd you'll")
INTENSIFIERS = _words(
    "very extremely utterly truly really so too absolutely totally completely entirely deeply "
    "incredibly remarkably hugely enormously vastly exceedingly terribly awfully thoroughly "
    "profoundly immensely desperately wildly painfully downright outright sheer blatantly "
    "grossly staggeringly astonishingly shockingly strikingly particularly especially even "
    "indeed simply just quite rather fully far much more most least ever whatsoever"
)
EVALUATIVES = _words(
    "good bad wrong right absurd ridiculous shameful disgraceful foolish clever stupid silly "
    "wise unwise sensible senseless pointless useless worthless dangerous reckless irresponsible "
    "ludicrous laughable outrageous scandalous appalling dreadful terrible awful excellent "
    "brilliant admirable remarkable impressive pathetic petty hypocritical hypocrisy dishonest "
    "honest fair unfair unjust just naive misguided misleading wrongheaded flawed failed "
    "failure disaster disastrous catastrophic mess fiasco farce nonsense rubbish madness insane "
    "crazy bizarre weird strange odd curious funny ironic irony tragic sad sorry shame pity "
    "welcome unwelcome worthy unworthy deserve deserves deserved undeserved necessary "
    "unnecessary needless important crucial vital essential significant trivial serious "
    "hardly arguably problematic troubling worrying worrisome alarming disturbing "
    "embarrassing humiliating cynical cowardly brave courageous bold timid weak strong "
    "incompetent competent inept feeble lame bogus fake phony phoney sham dubious questionable "
    "specious spurious baseless groundless obvious plain clear mistaken mistake blunder "
    "propaganda ideology ideological elitist woke radical extreme extremist"
)
HEDGES = _words(
    "perhaps maybe possibly probably presumably apparently seemingly arguably conceivably "
    "likely unlikely seem seems seemed appear appears appeared suggests suppose supposedly "
    "might may could would somewhat fairly partly"
)
BOOSTERS = _words(
    "surely certainly clearly obviously undoubtedly undeniably definitely evidently plainly "
    "of-course indeed doubtless unquestionably inevitably inevitable certain sure"
)
DEONTIC = _words("should must ought need needs shouldn't mustn't cannot can't")
IRONY = _words("so-called supposedly hardly apparently allegedly purportedly oh alas")
JUDGEMENT_DEGREE = _words(
    "best worst better worse greatest biggest most least finest poorest largest smallest "
    "highest lowest superior inferior"
)
CONNECTIVES_ARGUMENT = _words(
    "but yet however nevertheless nonetheless therefore thus hence instead rather whereas "
    "although though indeed regardless moreover furthermore besides still"
)
GENERALISERS = _words(
    "all every everyone everybody everything nobody nothing none never always any anyone "
    "whole entire"
)
TIME_WORDS = _words(
    "yesterday today tonight tomorrow monday tuesday wednesday thursday friday saturday sunday "
    "january february march april june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec week weeks month months year years "
    "morning afternoon evening night hours minutes"
)
TITLE_WORDS = _words(
    "mr mrs ms dr president minister prime senator sen rep gov governor chief spokesman "
    "spokeswoman spokesperson officials official police department ministry agency court "
    "judge secretary chairman chair ceo director professor leader mp mps councillor"
)
NEGATIONS = _words("not no never nothing nobody none nor n't don't doesn't didn't isn't wasn't")
# Reporting narrates what happened (past tense); commentary argues in the present.
PAST_TENSE = _words(
    "was were had did said told went came made took gave got saw became began won lost left "
    "held met ran rose fell paid sent spent kept brought bought thought found led sold wrote "
    "spoke stood chose knew grew drew flew threw broke struck caught taught fought sought"
)
PRESENT_TENSE = _words(
    "is are am isn't aren't has have does do doesn't don't seems remains means matters "
    "it's that's there's what's here's"
)
FUTURE_CONDITIONAL = _words("will would won't wouldn't can can't could couldn't shall")

IMPERATIVE_STARTS = _words(
    "let consider imagine remember look think note forget stop don't do try ask take give "
    "make keep read watch listen say tell vote join support stand fight accept admit face "
    "picture recall bear mind never"
)

# Multi-word cues, matched as substrings of the space-joined lower-cased author tokens (padded
# with spaces, so each behaves as a whole-word match). Substring tests run in C: far cheaper
# than a big alternation regex.
PHRASES: dict[str, tuple[str, ...]] = {
    "of_course": ("of course",),
    "exhortation": (
        "it is time",
        "it's time",
        "now is the time",
        "high time",
        "let us",
        "let's",
        "we must",
        "we should",
        "we need to",
        "we ought",
        "we have to",
        "you must",
        "you should",
        "you need to",
        "they must",
        "they should",
        "they need to",
        "government must",
        "government should",
        "everyone should",
        "everyone must",
    ),
    "irony": ("so much for", "yet again", "once again", "as if", "god forbid", "heaven forbid"),
    "the_fact": (
        "the fact is",
        "the truth is",
        "the reality is",
        "the problem is",
        "the point is",
        "the question is",
        "no doubt",
        "without doubt",
        "make no mistake",
        "the lesson",
    ),
}
EVAL_FRAME_START = frozenset(["it's", "that's", "this", "it", "that", "what"])
EVAL_FRAME_COPULA = frozenset(["is", "was", "would", "seems", "seemed"])
EVAL_FRAME_SKIP = _words("not hardly simply just very so quite rather far all too a an")
EVAL_FRAME_WORDS = _words(
    "hard difficult easy clear obvious strange odd ironic sad telling striking remarkable "
    "absurd worth wonder shame pity mistake disgrace impossible fair unfair right wrong "
    "tempting fitting curious galling rich laughable outrageous"
)
SCARE_MAX_WORDS = 3


def _build_valence() -> dict[str, float]:
    lex = SentimentIntensityAnalyzer().lexicon
    # VADER's lexicon scores many news *topics* (war, killed, party, support, united); they
    # say what happened, not what the author thinks of it. Keep only words that read as
    # judgement; the n-gram features carry the topics anyway.
    topical = _words(
        "party parties war wars killed kill killing death deaths dead die died dies crisis "
        "united support supported supporting supports help helped helping helps free freedom "
        "care cares no yes like liked likes well kind top win won wins winning lost loss lose "
        "losses attack attacked attacks arrest arrested police prison charged charges court "
        "crime crimes victim victims violence fire fired fight fighting fought protest protests "
        "protesters threat threats threatened disease pandemic cancer emergency dispute hurt "
        "injured injury injuries shot shooting terror terrorism terrorist bomb bombing war-torn "
        "please thanks thank vote voted agree agreed agreement hope hopes hoped want wanted "
        "wants interest interests security safe safety benefit benefits approved approval "
        "accepted accept rejected reject ban banned legal justice share shares shared "
        "increase increased growth grow grew gain gains rich poor poverty tax debt fraud"
    )
    return {w: v for w, v in lex.items() if w.isalpha() and w not in topical}


VALENCE: dict[str, float] = _build_valence()


CUES: tuple[tuple[str, str], ...] = (
    # author's voice (computed on author text only)
    ("first_person_sg", "first person singular (I, my) outside quotes"),
    ("first_person_pl", "first person plural (we, our, us) outside quotes"),
    ("second_person", "addresses the reader (you, your) outside quotes"),
    ("valence_abs", "emotionally loaded words outside quotes (sentiment lexicon)"),
    ("valence_pos", "positive judgement words outside quotes"),
    ("valence_neg", "negative judgement words outside quotes"),
    ("valence_max", "strongest loaded word outside quotes"),
    ("intensifiers", "intensifiers (very, utterly, really) outside quotes"),
    ("evaluatives", "evaluative words (absurd, petty, wise) outside quotes"),
    ("hedges", "hedges (perhaps, might, seems) outside quotes"),
    ("boosters", "certainty markers (surely, clearly, certainly) outside quotes"),
    ("deontic", "should / must / ought outside quotes"),
    ("question", "question outside quotes (rhetorical question)"),
    ("exclamation", "exclamation mark outside quotes"),
    ("imperative", "sentence opens with a command (Consider, Let, Imagine)"),
    ("exhortation", "exhortation (let us, it is time, we must)"),
    ("irony", "irony markers (so-called, hardly, of course, so much for)"),
    ("scare_quotes", "scare quotes around a word or two, with no attribution"),
    ("judgement_degree", "comparatives / superlatives of judgement (best, worst, more ... than)"),
    ("it_is_eval", "authorial evaluation frame (it is hard to see, it is clear, no wonder)"),
    ("the_fact_is", "'the truth is', 'the problem is', 'no doubt'"),
    ("generalisers", "sweeping generalisations (all, every, nobody, always) outside quotes"),
    ("negation", "negation outside quotes"),
    ("argument_connectives", "argumentative connectives (but, yet, however, therefore)"),
    ("past_tense", "past-tense narration outside quotes (was, said, -ed)"),
    ("present_tense", "present-tense assertion outside quotes (is, are, has)"),
    ("future_conditional", "will / would / could outside quotes"),
    ("author_share", "share of the paragraph in the author's own voice"),
    ("author_length", "length of the author's own text (log words)"),
    # reporting side
    ("quote_share", "share of the paragraph inside quotation marks"),
    ("quote_count", "number of quotations"),
    ("starts_with_quote", "paragraph opens with a quotation"),
    ("unterminated_quote", "quotation runs on past the end of the paragraph"),
    ("attribution", "attribution verbs (said, told, according to)"),
    ("attribution_tag", 'attribution tag next to a quotation ("...," she said)'),
    ("reported_share", "share of the paragraph in reported speech (X said the ...)"),
    ("according_to", "'according to' / 'in a statement'"),
    ("numbers", "numbers and figures"),
    ("dates", "dates and times (yesterday, July, last week)"),
    ("titles", "titles and officials (Mr, Prime Minister, police)"),
    ("proper_nouns", "names (capitalised words mid-sentence)"),
    ("others_valence", "loaded words inside quotes / reported speech"),
)
CUE_NAMES: tuple[str, ...] = tuple(n for n, _ in CUES)
CUE_DESCRIPTIONS: dict[str, str] = dict(CUES)
