"""Word lists the attribution and entity modules share (pure data, no Django).

Kept apart from the code that uses them so that the rules read as rules and the lists can
grow without touching them. Every list is lower-case; lookups lower-case the text first.
"""

from __future__ import annotations


def words(s: str) -> frozenset[str]:
    return frozenset(s.split())


def phrases(s: str) -> frozenset[str]:
    """Comma-separated phrases of several words ("new york, united states")."""
    return frozenset(" ".join(p.split()) for p in s.split(",") if p.strip())


def _conjugate(base: str) -> set[str]:
    """base, 3rd person, past, -ing: regular English spelling rules, good enough for cues."""
    if base.endswith("e"):
        return {base, base + "s", base + "d", base[:-1] + "ing"}
    if base.endswith("y") and base[-2] not in "aeiou":
        return {base, base[:-1] + "ies", base[:-1] + "ied", base + "ing"}
    if base.endswith(("s", "sh", "ch", "x")):
        return {base, base + "es", base + "ed", base + "ing"}
    return {base, base + "s", base + "ed", base + "ing"}


_IRREGULAR = {
    "say": "say says said saying",
    "tell": "tell tells told telling",
    "write": "write writes wrote written writing",
    "think": "think thinks thought thinking",
    "hold": "hold holds held holding",
    "feel": "feel feels felt feeling",
    "know": "know knows knew known knowing",
    "read": "read reads reading",
    "put": "put puts putting",
    "speak": "speak speaks spoke spoken speaking",
    "forecast": "forecast forecasts forecasting",
    "tweet": "tweet tweets tweeted tweeting",
    "admit": "admit admits admitted admitting",
    "commit": "commit commits committed committing",
    "submit": "submit submits submitted submitting",
    "plan": "plan plans planned planning",
    "regret": "regret regrets regretted regretting",
}


def _base_forms(base: str) -> set[str]:
    return set(_IRREGULAR[base].split()) if base in _IRREGULAR else _conjugate(base)


def _forms(bases: str) -> frozenset[str]:
    out: set[str] = set()
    for base in bases.split():
        out |= _base_forms(base)
    return frozenset(out)


# Verbs that report speech, writing or a stated position and take a clause ("X said the party
# had ...") or a quotation. All forms are generated from the base.
SPEECH_BASES = (
    "say tell add state claim argue insist note explain warn write reply respond announce "
    "acknowledge admit concede suggest maintain contend allege deny declare confirm predict "
    "recall report testify stress emphasise emphasize observe remark complain tweet post "
    "reveal counter conclude promise vow pledge assert caution charge contend "
    "disclose estimate forecast hint insist joke lament muse proclaim quip reason "
    "recount reiterate repeat retort scoff speculate concede boast brag concur affirm "
    "acknowledge answer ask inform assure advise urge mention announce continue write "
    "comment describe explain emphasise estimate specify clarify shout yell chant scream "
    "exclaim interject"
)
# Verbs of belief, intention and feeling: "X believes ...", "X hopes ...": stated positions.
BELIEF_BASES = "believe think hope fear expect feel know doubt worry want wish plan intend regret"
# Speech acts whose content is what they name: "X called the decision petty", "X cited ...".
SPEECH_ACT_BASES = (
    "call cite demand propose accuse criticise criticize praise blame question slam blast "
    "defend dismiss reject welcome condemn recommend request describe label brand dub "
    "characterise characterize hail decry discuss sing encourage mock "
    "ridicule tout vow respond reply echo endorse oppose attack"
)
# Stated positions taken by acts rather than words: "X supported the bill", "X declined to
# comment", "X sought to reassure voters".
POSITION_BASES = (
    "support back favor favour prefer refuse decline seek denounce assail applaud thank "
    "express envision rule portray consider view pledge challenge accept"
)
# Findings of documents and polls: "the poll shows ...", "a study found ...".
EVIDENCE_BASES = "show find suggest indicate conclude"
# Speech verbs with a particle: "called for a ban", "spoke about the war", "pointed to".
PHRASAL_CUES = {
    "call": words("for on"),
    "talk": words("about of"),
    "speak": words("about of on"),
    "point": words("to out"),
    "warn": words("of against about"),
    "argue": words("for against"),
    "complain": words("about of"),
    "ask": words("for about"),
    "push": words("for"),
    "rail": words("against"),
    "insist": words("on"),
    "comment": words("on"),
    "joke": words("about"),
    "boast": words("about of"),
    "lash": words("out"),
    "campaign": words("for against on"),
    "testify": words("about"),
    "write": words("about of"),
    "tweet": words("about"),
    "agree": words("with on"),
    "cite": words("as"),
}
# Verbs of intention whose content may be an infinitive: "she wants to triple the program".
INTENTION_BASES = (
    "want plan hope intend vow pledge promise threaten seek aim expect refuse decline agree offer"
)
SPEECH_VERBS = _forms(SPEECH_BASES)
BELIEF_VERBS = _forms(BELIEF_BASES)
SPEECH_ACT_VERBS = _forms(SPEECH_ACT_BASES) | frozenset(["found"])
POSITION_VERBS = _forms(POSITION_BASES) | frozenset(["sought", "seeking"])
EVIDENCE_VERBS = _forms(EVIDENCE_BASES) | frozenset(["found", "shown"])
INTENTION_VERBS = _forms(INTENTION_BASES) | frozenset(["sought"])
PHRASAL_ONLY = frozenset(PHRASAL_CUES) - set(
    f"{SPEECH_BASES} {BELIEF_BASES} {SPEECH_ACT_BASES} {INTENTION_BASES}".split()
)
CUE_VERBS = (
    SPEECH_VERBS
    | BELIEF_VERBS
    | SPEECH_ACT_VERBS
    | POSITION_VERBS
    | EVIDENCE_VERBS
    | INTENTION_VERBS
    | _forms(" ".join(PHRASAL_CUES))
)
BASE_FORM = {
    form: base
    for bases in (
        SPEECH_BASES,
        BELIEF_BASES,
        SPEECH_ACT_BASES,
        POSITION_BASES,
        INTENTION_BASES,
        " ".join(PHRASAL_CUES),
    )
    for base in bases.split()
    for form in _base_forms(base)
}
# Forms that are as often nouns ("the United States", "his plans", "her remarks"): only a
# cue after a name, a pronoun or a role ("Mr Goff notes", "officials plan").
NOUN_LIKE_CUES = words(
    "states state plans plan notes note comments comment remarks remark estimates estimate "
    "reports report claims claim posts post charges charge answers answer counters counter "
    "fears fear hopes hope wants want doubts doubt calls call demands demand questions "
    "question attacks attack praise blame request requests concerns worries wishes wish "
    "promises promise pledges pledge vows vow tweets tweet finds find shows show record "
    "records reasons reason label labels brand brands dub dubs hails hail welcome welcomes "
    "defends defend rejects reject cites cite notes think thinks know knows feel feels "
    "suggest suggests suggested"
)
# Cue verbs that never take a clause on their own: need a quote, "that", or a colon.
WEAK_CUE_VERBS = _forms("continue point post mention answer ask charge reason know feel want")
# Verbs whose first object is the addressee: "told reporters (on Monday) that ..."
ADDRESSEE_VERBS = _forms("tell inform assure advise remind warn urge ask")
# ... whose object is always the addressee, never the speaker: "...," told reporters.
ADDRESSEE_ONLY_VERBS = _forms("tell inform assure advise remind")
# Reported-speech cue tails that may follow the clause they govern: "..., X said."
TAG_VERBS = SPEECH_VERBS | _forms("believe think") | EVIDENCE_VERBS

# Nouns that make "X's statement", "in a statement", "a report that ..." an attribution.
STATEMENT_NOUNS = words(
    "statement statements interview letter email e-mail post tweet release speech report "
    "reports memo filing complaint lawsuit ruling decision announcement remarks comments "
    "testimony affidavit transcript message note blog column editorial op-ed essay book "
    "survey poll study analysis surveys polls studies analyses memos letters emails "
    "documents records data"
)

# Words that may sit between a subject and its cue verb: "has also said", "had earlier told".
AUXILIARIES = words(
    "has have had also would will could may might just then later further again once "
    "previously earlier already repeatedly publicly privately reportedly separately "
    "recently yesterday today tonight not never did does do n't been is was were are "
    "can must should shall only even still first last initially subsequently quickly "
    "flatly openly firmly strongly simply clearly frankly bluntly specifically told "
    "similarly likewise often always frequently usually sometimes never once "
    "appeared appears seemed seems continued continues went on to tried tries wanted"
)

# Pronouns that can be the source of a cue, with the entity class they point to.
SUBJECT_PRONOUNS = {
    "he": "he",
    "she": "she",
    "it": "it",
    "they": "they",
    "we": "we",
    "i": "i",
    "you": "you",
    "who": "who",
    "which": "which",
}
POSSESSIVE_PRONOUNS = {"his": "he", "her": "she", "its": "it", "their": "they"}

# Titles before a name. The value is the pronoun the title implies ("" when none).
TITLES = {
    "mr": "he",
    "mr.": "he",
    "mrs": "she",
    "mrs.": "she",
    "ms": "she",
    "ms.": "she",
    "miss": "she",
    "sir": "he",
    "dame": "she",
    "lord": "he",
    "lady": "she",
    "dr": "",
    "dr.": "",
    "prof": "",
    "prof.": "",
    "professor": "",
    "sen.": "",
    "rep.": "",
    "gov.": "",
    "gen.": "",
    "lt.": "",
    "col.": "",
    "capt.": "",
    "sgt.": "",
    "rev.": "",
    "judge": "",
    "justice": "",
    "father": "he",
    "sister": "she",
}

# Role nouns: "Labour leader Phil Goff", "the Te Atatu MP", "party president Andrew Little".
ROLE_NOUNS = words(
    "leader president minister premier mp mps senator congressman congresswoman "
    "representative governor mayor secretary spokesman spokeswoman spokesperson "
    "chairman chairwoman chair chief director commissioner adviser advisor aide "
    "ambassador attorney lawyer judge justice sheriff officer official officials "
    "candidate nominee chancellor deputy manager executive ceo founder head "
    "councillor councilor treasurer whip speaker member members campaigner strategist "
    "analyst economist professor researcher expert activist organiser organizer "
    "operative surrogate mate running-mate king queen prince princess pope bishop "
    "general colonel captain sergeant detective inspector superintendent constable "
    "editor reporter columnist correspondent host anchor producer publisher writer "
    "owner partner investor donor supporter supporters critic critics opponent "
    "opponents rival rivals ally allies colleague colleagues friend friends father "
    "mother wife husband son daughter brother sister widow chairperson convenor "
    "prosecutor prosecutors investigators investigator police doctor doctors "
    "physician mp's senators leaders ministers presidents governors mayors lawmakers "
    "representatives spokesmen spokeswomen"
)
# Heads of a noun phrase that counts people: "64 percent of voters say", "most said".
QUANTITIES = words(
    "percent per-cent majority minority half third thirds quarter quarters plurality most "
    "many some few several all both none number share proportion dozens hundreds thousands"
)
NUMBER_WORDS = words(
    "two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty "
    "sixty seventy eighty ninety hundred dozen"
)
# Collective sources without a name: "officials said", "critics say".
COLLECTIVE_SOURCES = words(
    "officials critics sources source experts analysts observers supporters opponents "
    "aides advisers advisors allies lawmakers legislators residents witnesses police "
    "investigators prosecutors authorities insiders members voters people democrats "
    "republicans economists scientists researchers doctors activists campaigners "
    "spokesman spokeswoman spokesperson statement report study poll survey polls "
    "documents records filings reports campaign media press"
)

# Words that make a capitalised name an organisation.
ORG_WORDS = words(
    "party council committee department ministry house senate congress parliament court "
    "commission agency bureau office service services association union university "
    "college institute foundation corporation company inc inc. corp corp. ltd ltd. "
    "group times post news herald journal radio television tv network press campaign "
    "administration police army navy force bank fund board team club church caucus "
    "government cabinet assembly authority league federation coalition movement "
    "organisation organization society trust centre center hospital school council's "
    "party's agency's network's tribune telegraph guardian gazette observer mail "
    "review magazine channel broadcasting broadcaster airlines airways motors "
    "industries holdings partners capital reuters ap nzpa bbc cnn fox msnbc nbc abc cbs "
    "npr pbs gallery chamber secretariat tribunal division unit squad police"
)
# Words that make a capitalised name a place.
PLACE_WORDS = words(
    "street st st. road avenue ave city county state island islands river mountain "
    "valley bay beach park square bridge airport station province district region "
    "north south east west northern southern eastern western"
)
# Prepositions that put a name in a place role: "in Wellington", "from Ohio".
PLACE_PREPOSITIONS = words("in at from to near across around outside inside throughout into")

# Capitalised words that begin sentences or headings but are not names.
NOT_NAMES = words(
    "the a an he she it they we i you his her its their our my your this that these those "
    "there here but and or so if in on at as after before when while since until because "
    "although though however meanwhile today yesterday tonight tomorrow last next asked "
    "mr mrs ms dr sir also still yet then now even only just not no yes some many most "
    "all both each every any few several other another such what which who whom whose "
    "where why how one two three four five six seven eight nine ten first second third "
    "former old under over with without about for from by of to into onto upon "
    "monday tuesday wednesday thursday friday saturday sunday january february march "
    "april may june july august september sept october november december jan feb mar apr "
    "jun jul aug sep oct nov dec god opinion editorial analysis update updated "
    "according despite during among between against toward towards through more less "
    "much very"
)
# Capitalised words that stand for a group of people, not one entity: "Democrats".
NATIONALITIES_AND_GROUPS = words(
    "american americans british briton britons english kiwi "
    "kiwis australian australians european europeans chinese russian russians mexican "
    "mexicans canadian canadians muslim muslims christian christians jewish jews "
    "democrat democrats republican republicans liberal liberals conservative conservatives "
    "labourites nationals maori pakeha african asian latino latinos hispanic hispanics"
)
# Capitalised nouns that name events, laws and the like, not actors: "General Election".
EVENT_WORDS = words(
    "election elections conference games cup war day week act bill budget summit award "
    "awards prize festival show debate debates convention primary primaries caucuses "
    "hearing inquiry review report agreement treaty accord plan amendment law change"
)

# Parties and affiliations that stand before a name as a role: "Republican Donald Trump",
# "Democrat of Vermont" (after "Patrick Leahy,").
AFFILIATIONS = (
    words(
        "republican democrat democratic labour national green conservative liberal libertarian "
        "independent socialist progressive tory whig gop"
    )
    | NATIONALITIES_AND_GROUPS
)

# Countries, states and cities news names most: places, not actors. Lower case.
PLACES = phrases(
    """
    u.s., u.k., u.n., e.u., usa, america, united states, united kingdom, britain,
    great britain, england, scotland, wales, ireland, northern ireland, europe, asia, africa,
    australia, new zealand, aotearoa, canada, mexico, brazil, argentina, chile, peru,
    colombia, venezuela, cuba, china, japan, korea, south korea, north korea, india, pakistan,
    afghanistan, iran, iraq, syria, israel, palestine, gaza, lebanon, jordan, egypt,
    saudi arabia, turkey, russia, ukraine, belarus, poland, germany, france, spain, portugal,
    italy, greece, netherlands, belgium, switzerland, austria, sweden, norway, denmark,
    finland, iceland, hungary, romania, bulgaria, serbia, croatia, vietnam, thailand,
    indonesia, malaysia, singapore, philippines, taiwan, hong kong, nigeria, kenya,
    south africa, ethiopia, libya, morocco, fiji, samoa, tonga, qatar, yemen,
    alabama, alaska, arizona, arkansas, california, colorado, connecticut, delaware, florida,
    georgia, hawaii, idaho, illinois, indiana, iowa, kansas, kentucky, louisiana, maine,
    maryland, massachusetts, michigan, minnesota, mississippi, missouri, montana, nebraska,
    nevada, new hampshire, new jersey, new mexico, new york, north carolina, north dakota,
    ohio, oklahoma, oregon, pennsylvania, rhode island, south carolina, south dakota,
    tennessee, texas, utah, vermont, virginia, west virginia, wisconsin, wyoming,
    washington, washington d.c., new york city, los angeles, chicago, houston, philadelphia,
    phoenix, san francisco, san diego, dallas, boston, miami, atlanta, seattle, denver,
    detroit, baltimore, cleveland, charlotte, toledo, tulsa, brooklyn, manhattan, london,
    paris, berlin, moscow, beijing, tokyo, delhi, new delhi, sydney, melbourne, toronto,
    ottawa, brussels, geneva, rome, madrid, kyiv, kiev, jerusalem, tehran, baghdad, damascus,
    cairo, copenhagen, wellington, auckland, christchurch, dunedin, hamilton, tauranga,
    te atatu, willis st
    """
)
