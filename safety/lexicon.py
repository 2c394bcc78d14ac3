"""Unambiguous terms and phrasings that block whatever the model says, on normalised text.

The model generalises; this list catches what must never pass even when phrased in few words the model has
not seen: explicit sexual terms, slurs, and a call to kill, gas, burn or exterminate a group of people. Every
entry is a term with no benign reading in a video prompt ("sex" alone is not one: "sex education"; nor are
"naked" or "cock": "a naked flame", "a cock crowing"). Matched
on `text.normalize` output, so leetspeak, spacing and homoglyphs are already undone. Checked against every
`safe` prompt of `data/train.txt` and `data/benign_check.txt` (`tests/unit/safety/test_lexicon.py`).
"""

from __future__ import annotations

import re

_SEXUAL = (
    r"porn\w*|"
    # "hardcore" is also a music scene and a degree of anything ("a hardcore punk show", "hardcore fans")
    r"hardcore(?! (?:punk|band|bands|music|show|shows|gig|gigs|scene|kids|fans?|gamers?|gaming|mode|"
    r"workouts?|training|techno|gabber|rave|metal|rock|hikers?|fitness|collectors?|supporters?|cyclists?|"
    r"runners?|bikers?|skaters?|climbers?|surfers?|mountain))|blowjobs?|handjobs?|fellatio|cunnilingus|masturbat\w*|orgasm\w*|orgy|orgies|"
    r"gangbang\w*|threesome|creampie|cumshot\w*|cum|jizz|ejaculat\w*|erection|genitals?|penis|penises|"
    r"vagina\w*|pussies|cocks|dicks|clit\w*|titties|boobs|dildos?|fuck\w*|"
    r"having sex|have sex|has sex|sex scene|sex tape|sex video|sex acts?|sexual acts?|intercourse|"
    r"oral sex|anal sex|anal|nsfw|xxx|stripteases?|lap ?danc(?:e|es|ing)|sexually|molest\w*|"
    r"rape|raped|raping|rapes|fondl\w*|hentai|topless|"
    # slang for sex acts and porn genres ("bukkake udon" and "bukkake soba" are noodle dishes)
    r"bukkake(?! (?:udon|soba|noodles?))|milfs?|rimjobs?|footjobs?|titjobs?|titfuck\w*|deepthroat\w*|"
    r"face ?sitting|gloryholes?|glory holes?|camgirls?|cumshots?|jerk\w* off|jack\w* off|"
    r"wank\w*|doggy ?style|reverse cowgirl|dick pics?|sex toys?|sex slaves?|sex dolls?|butt ?plugs?|"
    r"barely legal|"
    # fourth round: voyeur genres, furry and rule-34 porn, oral sex said plainly, the massage euphemism
    r"upskirts?|creepshots?|yiff\w*|rule 34|titty ?jobs?|"
    r"suck(?:s|ed|ing)? (?:him|them|me|you|\w+ guys?) off|sucking off|"
    r"suck(?:s|ed|ing)? (?:a |his |the |some )?(?:cock|dick)s?|"
    r"massag\w* (?:\w+ ){0,3}happy ending|happy ending massag\w*"
)
_MINOR_SEXUAL = r"child porn|cp|pthc|loli|lolicon|shota|shotacon|jailbait|pedo\w*|paedo\w*|hebephil\w*"
_SLURS = (
    r"nigger\w*|niggas?|kikes?|kykes?|faggots?|spics?|wetbacks?|beaners?|ragheads?|towelheads?|"
    r"sand niggers?|trannies|tranny|gooks?|pakis?|kaffirs?|queers? should|shitskins?|mudslimes?|"
    r"jigaboos?|porch monkeys?|zipperheads?|sand monkeys?|muzzies|mongoloids|spastics"
)
# Slurs that are also ordinary words or names: "Dick Van Dyke", a Dutch dyke, a Maine coon, a chink of light,
# a fag break, "the drag retards the car". They block only when the model reads the prompt as hostile too
# (`filter.SLUR_EVIDENCE`) or as the target of a call to violence below.
# "Mongoloid" and "spastic" are slurs for disabled people with an old anthropological or medical sense
# ("spastic cerebral palsy"); as plural nouns, "mongoloids", "spastics", they are only the slur (`_SLURS`).
_AMBIGUOUS_SLURS = r"dykes?|coons?|chinks?|fags?|retards?|mongoloid|spastic|spazz?"
# ... but with an insult before them or a hostile verb after, they are the slur whatever the model says.
_HOSTILE_BEFORE = r"filthy|dirty|stinking|disgusting|fucking|damn|stupid|bunch of|you"
_HOSTILE_AFTER = (
    r"(?:should|must|will|deserve to) (?:die|burn|hang|rot|go back|be (?:killed|shot|gassed|beaten|raped|"
    r"hanged|burned|deported|exterminated|wiped out))|deserve\w*|ruin\w*|out|go home|go back|get out|"
    r"are (?:vermin|animals|subhuman|disgusting|a plague|a disease)"
)
_FRAMED_SLUR = (
    rf"(?:{_HOSTILE_BEFORE}) (?:{_AMBIGUOUS_SLURS})|(?:dykes|coons|chinks|fags|retards) (?:{_HOSTILE_AFTER})"
)
# Groups as nouns in the plural (or "... people"): "burn the black toast", "hang the white sheets" and "shoot
# the arab horses" name no group. A possessive ("the women's final") is not the group either.
_GROUP = (
    r"jews?|jewish people|muslims|muslim people|blacks|black people|gays|gay people|gay men|lesbians|"
    r"homosexuals|immigrants?|migrants|foreigners|mexicans|latinos|arabs|asians|chinese people|gypsies|"
    r"roma|christians|catholics|whites|white people|women|trans people|transgender people|"
    r"disabled people|the disabled|refugees|hindus|sikhs|the invaders|that race|their race|the race|"
    r"dykes|coons|chinks|fags|retards"
)
_VIOLENCE = (
    r"kill|gas|hang|lynch|burn|exterminate|shoot|execute|eradicate|slaughter|wipe out|genocide|death to|"
    r"drown|murder|massacre|butcher|behead|annihilate|stab|bomb|torch|hunt down|sterilize|enslave|"
    r"machine ?gun|gun down|mow down|nuke"
)
# Coded hate: the Nazi euphemism for genocide applied to a group ("the final solution to the X question"),
# the antisemitic caricature and its meme name, and "the JQ" (the "Jewish question").
_GROUP_WORD = (
    r"jew|jews|jewish|gypsy|gypsies|roma|black|negro|muslim|islam|immigrant|migrant|refugee|arab|asian|"
    r"chinese|mexican|gay|trans|african|indian|romani"
)
_CODED_HATE = (
    rf"final solution (?:to|for) (?:the )?(?:{_GROUP_WORD})(?: (?:problem|question|issue))?|"
    rf"(?:the )?(?:{_GROUP_WORD}) (?:problem|question) (?:\w+ ){{0,4}}final solution|"
    r"hook ?nosed? (?:jews?|jewish)|happy merchant (?:\w+ ){0,6}(?:jews?|jewish|hook ?nosed?|shekels?|goyim)|"
    r"(?:jews?|jewish|hook ?nosed?|shekels?|goyim) (?:\w+ ){0,6}happy merchant|the jq|"
    r"(?:6|six) million (?:wasn t|was not|weren t|were not|isn t|is not) enough|"
    # established dog whistles with no other reading in a video prompt
    r"(?:the )?goyim know|holohoax|untermensch\w*|day of the rope|oven dodgers?|"
    r"rapefugees?|globohomo|"
    # Nazi and white-supremacist slogans
    r"sieg heil\w*|white power|race war|hitler (?:was|is) right|juden raus|kebab remov\w*|remove kebab|"
    r"(?:jews|you) will not replace us|"
    # genocide celebrated ("a newsreel celebrating the final solution"), not remembered or documented
    r"(?:celebrat\w*|glorif\w*) (?:the )?(?:final solution|holocaust|shoah|genocide|ethnic cleansing|"
    r"pogroms?|kristallnacht|lynchings?)"
)
# Between the verb and the group only determiners and insults: "kill all the filthy immigrants", not "a
# fashion shoot with asian models".
_BETWEEN = r"all|every|each|the|those|these|them|of|off|out|down|filthy|dirty|damn|fucking|stinking|last"

_SEXUAL_TERM = re.compile(rf"\b(?:{_SEXUAL})\b")
_MINOR_TERM = re.compile(rf"\b(?:{_MINOR_SEXUAL})\b")
_SLUR = re.compile(rf"\b(?:{_SLURS}|{_CODED_HATE}|{_FRAMED_SLUR})\b")
_AMBIGUOUS_SLUR = re.compile(rf"\b(?:{_AMBIGUOUS_SLURS})\b")
_HATE_VIOLENCE = re.compile(rf"\b(?:{_VIOLENCE})(?: (?:{_BETWEEN})){{0,3}} (?:{_GROUP})\b(?! s\b)")
# The same call in the passive, the group first: "the jews are vermin who must be exterminated". A few words
# may stand between when a verb or a relative follows the group, not a noun: normalised text has lost the
# possessive's apostrophe, and "the refugees' boats must be burned" names no group.
_PASSIVE_KILLED = (
    r"exterminated|killed|gassed|wiped out|eradicated|burned|burnt|hanged|lynched|shot|massacred|"
    r"slaughtered|murdered|drowned|annihilated|put down"
)
_HATE_PASSIVE = re.compile(
    rf"\b(?:{_GROUP})(?! s\b) (?:(?:are|who|that|and|all|they|will|really) (?:\w+ ){{0,4}})?"
    rf"(?:must|should|need to|deserve to|ought to) (?:all )?(?:be|get) "
    rf"(?:{_PASSIVE_KILLED})\b"
)


def has_sexual_term(normalized: str) -> bool:
    return _SEXUAL_TERM.search(normalized) is not None or _explicit_nudity(normalized)


# Nudity asked to be shown explicitly: "both naked and going at it", "nude, show everything". Either half
# alone is ordinary ("renaissance nudes", "a wide shot that shows everything").
_NUDITY = re.compile(r"\b(?:naked(?! (?:eye|flame|mole|truth))|nude|nudes|nudity|undressed)\b")
_EXPLICIT = re.compile(
    r"\b(?:show(?:s|ing)? (?:it |them )?(?:all|everything)|going at it|go at it|goes at it|uncensored|"
    r"nothing (?:is )?left to the imagination|leave nothing to the imagination|full frontal|"
    r"netflix and chill)\b"
)


def _explicit_nudity(normalized: str) -> bool:
    return _NUDITY.search(normalized) is not None and _EXPLICIT.search(normalized) is not None


# The antisemitic "echo": a name or group in triple parentheses, "(((them)))". Normalisation drops the
# brackets, so this looks at the text as written.
_ECHO = re.compile(r"\({3}\s*[^()\s][^()]{0,40}\){3}")


def has_echo_marker(text: str) -> bool:
    return _ECHO.search(text) is not None


# Who hate speech is about: a people, a faith, a sexuality, a disability, a race (or the word itself), and
# the symbols and slurs of hatred. Broad on purpose (adjectives and singulars, "a black family", "a turban"):
# it only decides whether a middling `hate` score may block (`filter.HATE_WITHOUT_GROUP`).
_TARGET = (
    r"jew\w*|juden|yids?|semit\w*|antisemit\w*|israel\w*|zionis\w*|rabbis?|synagogues?|kippahs?|yarmulkes?|"
    r"kosher|star of david|goy\w*|shekels?|muslims?|islam\w*|mosques?|hijabs?|burqas?|imams?|sikhs?|"
    r"turban\w*|hindus?|temples?|"
    r"christians?|catholics?|churche?s?|blacks?|negro\w*|africans?|afro\w*|whites?|"
    r"gays?|lesbians?|homo\w*|queers?|bisexual\w*|lgbt\w*|pride|trans|transgender\w*|tranny|"
    r"trannies|drag queens?|immigra\w*|migra\w*|refugees?|asylum|foreign\w*|invaders?|border|mexicans?|"
    r"latin\w*|hispanic\w*|arabs?|asians?|chinese|chinaman|japanese|koreans?|indians?|pakistan\w*|natives?|"
    r"aborigin\w*|indigenous|gyps\w*|gypos?|gyppos?|roma|romani|travell?ers|pikeys?|slavs?|polish|poles|"
    r"syrians?|somalis?|haitians?|kurds?|filipin\w*|irish|palestin\w*|ukrainian\w*|russians?|africa|"
    r"reservations?|settlers?|race|races|racial\w*|racis\w*|ethnic\w*|minorit\w*|tribe\w*|massacres?|"
    r"dehumani\w*|blood and soil|brown people|halal|towel ?heads?|saracens?|hebrews?|armenians?|"
    r"albanians?|romanians?|nigerians?|vietnamese|uyghurs?|rohingya|tutsis?|hutus?|bosnia\w*|chechens?|"
    r"afghans?|iraqis?|iranians?|turks?|moroccans?|mormons?|amish|atheists?|buddhists?|gingers?|redheads?|"
    r"homeless|dwarfs?|midgets?|albinos?|mental(?:ly)? ill\w*|mentally disabled|"
    # coded: numbers, conspiracy words and euphemisms of the far right
    r"1488|14 88|fourteen words|great replacement|globalist\w*|bankers?|cosmopolitan\w*|joggers?|big noses?|"
    r"six million|6 million|blood libel|death camps?|camps|deport\w*|crosses|"
    # the same in the languages the training prompts use besides English
    r"juifs?|jud[ií]os?|musulman\w*|mezquitas?|moros|zingar\w*|ausl[aä]nder|fl[uü]cht\w*|schwul\w*|negros?|"
    r"disabled|disabilit\w*|wheelchairs?|"
    r"cripples?|crippled|autis\w*|down syndrome|deaf|retard\w*|spastics?|spaz\w*|mongoloids?|"
    r"women|woman|feminis\w*|girls|nazi\w*|neo ?nazi\w*|hitler|fuhrer|swastika\w*|reich|heil|aryan|kkk|klan|"
    r"holocaust|genocide|pogroms?|concentration camps?|gas chambers?|ovens?|lynch\w*|nooses?|slaves?|slavery|"
    r"segregat\w*|apartheid|supremac\w*|master race|untermensch\w*|subhumans?|vermin|savages?|apes?|monkeys?|"
    r"cockroach\w*|rats|parasites?|infest\w*|homophob\w*|bigot\w*|hate|hatred|slurs?|stereotyp\w*|"
    r"caricatur\w*|blackface|minstrel\w*|sambo|coons?|dykes?|fags?|faggots?|chinks?|kikes?|spics?|niggers?|"
    r"niggas?|wetbacks?|beaners?|ragheads?|towelheads?|kebabs?|zigeuner|christchurch|muzzies|mudslimes?|cracker|gringos?|"
    rf"{_SLURS}"
)
_NAMES_TARGET = re.compile(rf"\b(?:{_TARGET})\b")


def names_target(normalized: str) -> bool:
    """Whether the prompt names a group hate speech is aimed at, or a symbol or slur of hatred (`_TARGET`)."""
    return _NAMES_TARGET.search(normalized) is not None


def has_ambiguous_slur(normalized: str) -> bool:
    """A slur that is also an ordinary word or a name (`_AMBIGUOUS_SLURS`): hate when the model agrees."""
    return _AMBIGUOUS_SLUR.search(normalized) is not None


def lexicon_category(normalized: str, sexualizes_minor: bool) -> str | None:
    """The category an unambiguous term puts the prompt in, or None. `sexualizes_minor` is the verdict of
    `minors.sexualizes_minor` (a minor named next to sexual context, every sexual term here included)."""
    if _MINOR_TERM.search(normalized) or sexualizes_minor:
        return "minors"
    if _SLUR.search(normalized) or _HATE_VIOLENCE.search(normalized) or _HATE_PASSIVE.search(normalized):
        return "hate"
    if has_sexual_term(normalized):
        return "sexual"
    return None
