"""The sentiment lexicon of the rule-based scorer (pure data, no Django).

VADER's valences, less the words that in news name a topic rather than judge anyone, plus a
small news lexicon (accusation, sanction, endorsement), and the word classes the scorer reads
around a mention: negators, boosters, clause breaks, irony and scare markers, and verbs of
attack or praise.
"""

from __future__ import annotations

from vaderSentiment.vaderSentiment import BOOSTER_DICT, NEGATE, SentimentIntensityAnalyzer

from stance.lexicons import words

VADER: dict[str, float] = SentimentIntensityAnalyzer().lexicon

# Words VADER scores that, in news, name a topic or an event rather than judge anyone (checked
# against NewsMTSC *train*: sentences holding them are as often neutral toward the target).
_TOPICAL = words(
    "party parties united justice security intelligence special supreme like well want yes no "
    "please kind number top defense defence share shared hand interest interests grand care "
    "free freedom death deaths war wars crisis killed died dead victims victim fighting "
    "agreement true play played clean ready safety secure super l god lol growth reach "
    "help helps helping join clear clearly certainly surely obviously definitely indeed truly "
    "really effective"
)

# News-specific valences (VADER scale): words VADER lacks or scores against news usage.
NEWS_LEXICON: dict[str, float] = {
    # accusation, scandal, sanction
    "allegation": -1.2,
    "allegations": -1.2,
    "alleged": -0.8,
    "allegedly": -0.8,
    "misconduct": -2.0,
    "scrutiny": -0.8,
    "controversy": -1.2,
    "investigation": -0.8,
    "investigated": -1.0,
    "probe": -0.8,
    "indicted": -2.0,
    "indictment": -1.8,
    "impeachment": -1.5,
    "impeach": -1.5,
    "impeached": -1.8,
    "ousted": -1.5,
    "oust": -1.2,
    "expulsion": -1.0,
    "divided": -1.2,
    "unprepared": -1.2,
    "sacked": -1.5,
    "demoted": -1.5,
    "convicted": -2.2,
    "fined": -1.2,
    "sued": -1.0,
    "barred": -1.0,
    "untenable": -1.5,
    "deceptive": -2.0,
    "vindictive": -2.0,
    "subterfuge": -1.8,
    "discontent": -1.3,
    "disharmony": -1.3,
    "malcontents": -1.8,
    "malcontent": -1.8,
    "outcast": -1.8,
    "inappropriate": -1.6,
    "partisan": -0.8,
    "corrupt": -2.5,
    "corruption": -2.3,
    "rift": -1.2,
    "infighting": -1.5,
    "ructions": -1.3,
    "backlash": -1.3,
    "embattled": -1.5,
    "beleaguered": -1.5,
    "scathing": -1.5,
    "slammed": -1.5,
    "blasted": -1.5,
    "lashed": -1.2,
    "denounced": -1.8,
    "rebuked": -1.6,
    "hypocrite": -2.2,
    "sexist": -2.3,
    "bigot": -2.5,
    "extremist": -2.0,
    "unpopular": -1.5,
    "treachery": -2.5,
    "traitor": -2.5,
    "plotting": -1.2,
    "scheming": -1.8,
    "rogue": -1.3,
    "debacle": -2.0,
    "shambles": -2.0,
    "disgraceful": -2.5,
    "infamous": -1.8,
    "phoniness": -1.8,
    "contrition": 0.0,
    "foment": -1.2,
    "dynamite": -0.5,
    "coup": -1.5,
    "impoverished": -1.5,
    "propitious": 1.2,
    "apologize": -0.8,
    "apologise": -0.8,
    "apologized": -1.0,
    "apologised": -1.0,
    "apology": -0.8,
    "apologies": -0.8,
    "admitted": -0.5,
    "criticised": -1.5,
    # recognition, endorsement
    "lauded": 2.0,
    "congratulated": 1.8,
    "hailed": 1.5,
    "credible": 1.2,
    "defended": 0.6,
    "endorsed": 1.2,
    "backed": 0.6,
}


def _build_lexicon() -> dict[str, float]:
    lex = {w: v for w, v in VADER.items() if w.replace("'", "").replace("-", "").isalpha()}
    for w in _TOPICAL:
        lex.pop(w, None)
    lex.update(NEWS_LEXICON)
    # British spellings VADER lacks: criticised, apologised, ...
    for w, v in list(lex.items()):
        if "iz" in w:
            lex.setdefault(w.replace("iz", "is"), v)
    return lex


LEXICON: dict[str, float] = _build_lexicon()

NEGATORS = frozenset(NEGATE) | words(
    "not never no nobody nothing none hardly barely scarcely unlikely unable"
)
BOOSTERS: dict[str, float] = {w: v for w, v in BOOSTER_DICT.items() if " " not in w}
CLAUSE_BREAKS = words("; : but however although though whereas while yet — – -")
IRONY_OPENERS = words("funny strange odd curious peculiar weird")
SCARE = words("so-called supposed supposedly self-styled")

# Verbs of attack or sanction, and of praise or support: next to a mention (as its verb or
# with the mention as object) they carry sentiment toward it whatever VADER says.
NEG_ACTIONS = words(
    "accuse accused accuses accusing blame blamed blames blaming criticize criticized "
    "criticizes criticizing criticise criticised criticises criticising attack attacked "
    "attacks attacking slam slammed slams slamming condemn condemned condemns denounce "
    "denounced denounces rebuke rebuked mock mocked mocks ridicule ridiculed insult insulted "
    "fire fired sack sacked expel expelled expels dump dumped oust ousted reject rejected "
    "rejects sue sued charge charged arrest arrested indict indicted convict convicted "
    "suspend suspended punish punished sanction sanctioned censure censured impeach "
    "impeached investigate investigated threaten threatened demote demoted"
)
POS_ACTIONS = words(
    "praise praised praises praising thank thanked thanks thanking applaud applauded "
    "congratulate congratulated commend commended endorse endorsed endorses hail hailed "
    "honour honoured honor honored reward rewarded celebrate celebrated welcome welcomed "
    "champion championed defend defended admire admired elect elected"
)
PASSIVE_AUX = words("was were been being is are be got get gets had has")
SKIP_BETWEEN = words(
    "has have had also was were is are been being be would will could may might then later "
    "again repeatedly publicly angrily bitterly just already not never reportedly once "
    "today yesterday quickly swiftly"
)
OBJECT_DETS = words("the a an his her their its")
