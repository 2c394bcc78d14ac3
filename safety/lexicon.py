"""Unambiguous terms and phrasings that block whatever the model says, on normalised text.

The model generalises; this list catches what must never pass even when phrased in few words the model has
not seen: explicit sexual terms, slurs, and a call to kill, gas, burn or exterminate a group of people. Every
entry is a term with no benign reading in a video prompt ("sex" alone is not one: "sex education"; nor are
"naked" or "cock": "a naked flame", "a cock crowing"). Matched
on `text.normalize` output, so leetspeak, spacing and homoglyphs are already undone. Checked against every
`safe` prompt of `data/train.txt` and `data/benign_check.txt` (`tests/unit/safety/test_lexicon.py`).
"""

from __future__ import annotations

import functools
import re

from dreamverse.safety import languages
from dreamverse.safety.text import normalize

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
    r"massag\w* (?:\w+ ){0,3}happy ending|happy ending massag\w*|"
    # fifth round: porn sites and studios by name, and slang for sex said of adults
    r"penetrative sex|graphic sex|explicit sex|"
    r"brazzers|pornhub|xvideos|xhamster|redtube|youporn|bangbros|realitykings|"
    r"(?:get|gets|getting|got|gotten) (?:railed|dicked down|shagged|creampied|gangbanged)"
)
_MINOR_SEXUAL = (
    r"child porn|cp|pthc|loli|lolicon|shota|shotacon|jailbait|pedo\w*|paedo\w*|hebephil\w*|"
    # eighth round: "c.p. vid" spelled with dots, and the abuser's "the younger the better"
    r"c p(?= (?:vids?|videos?|pics?|links?|content))|the younger the better"
)
# a faggot of herbs or of sticks (a bundle) and faggots and peas (a dish) are the old senses
_FAGGOT = (
    r"faggots?(?! (?:of (?:herbs|sticks|wood|twigs|kindling|brushwood|firewood|reeds|thyme|rosemary)|"
    r"and (?:mushy )?peas))"
)
_SLURS = (
    rf"nigger\w*|niggas?|kikes?|kykes?|{_FAGGOT}|spics?|wetbacks?|beaners?|ragheads?|towelheads?|"
    r"sand niggers?|trannies|tranny|gooks?|pakis?|kaffirs?|queers? should|shitskins?|mudslimes?|"
    r"jigaboos?|porch monkeys?|zipperheads?|sand monkeys?|muzzies|mongoloids|spastics"
)
# Slurs that are also ordinary words or names: "Dick Van Dyke", a Dutch dyke, a Maine coon, a chink of light,
# a fag break, "the drag retards the car". They block only when the model reads the prompt as hostile too
# (`filter.SLUR_EVIDENCE`) or as the target of a call to violence below.
# "Mongoloid" and "spastic" are slurs for disabled people with an old anthropological or medical sense
# ("spastic cerebral palsy"); as plural nouns, "mongoloids", "spastics", they are only the slur (`_SLURS`).
_AMBIGUOUS_SLURS = r"dykes?|coons?|chinks?|fags?|retards?|mongoloid|spastic|spazz?|polacks?"
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
    r"dykes|coons|chinks|fags|retards|polacks"
)
_VIOLENCE = (
    r"kill|gas|hang|lynch|burn|exterminate|shoot|execute|eradicate|slaughter|wipe out|genocide|death to|"
    r"drown|murder|massacre|butcher|behead|annihilate|stab|bomb|torch|hunt down|sterilize|enslave|"
    r"machine ?gun|gun down|mow down|nuke"
)
# Coded hate: the Nazi euphemism for genocide applied to a group ("the final solution to the X question"),
# the antisemitic caricature and its meme name, and "the JQ" (the "Jewish question").
# Who conspiracy myths blame ("jews did 9/11", "soros octopus", "the zionists control the media").
_CONSPIRACY_GROUP = (
    r"(?:the )?(?:jews?|jewish (?:people|bankers|elite)|zionists?|rothschilds?|soros|globalists?|"
    r"international bankers|the elders of zion)"
)
_GROUP_WORD = (
    r"jew|jews|jewish|gypsy|gypsies|roma|black|negro|muslim|islam|immigrant|migrant|refugee|arab|asian|"
    r"chinese|mexican|gay|trans|african|indian|romani"
)
_CODED_HATE = (
    rf"final solution (?:to|for) (?:the )?(?:{_GROUP_WORD})(?: (?:problem|question|issue))?|"
    rf"(?:the )?(?:{_GROUP_WORD}) (?:problem|question) (?:\w+ ){{0,4}}final solution|"
    r"hook ?nosed? (?:jews?|jewish)|"
    r"happy merchant (?:\w+ ){0,6}(?:jews?|jewish|hook ?nosed?|shekels?|goyim|rubbing|gold|coins|money|"
    r"greed\w*)|(?:jews?|jewish|hook ?nosed?|shekels?|goyim|rubbing|gold|coins|money|greed\w*) (?:\w+ ){0,6}"
    r"happy merchant|the jq|"
    r"(?:6|six) million (?:wasn t|was not|weren t|were not|isn t|is not) enough|"
    # established dog whistles with no other reading in a video prompt
    r"(?:the )?goyim know|holohoax|untermensch\w*|day of the rope|oven dodgers?|"
    r"rapefugees?|globohomo|"
    # Nazi and white-supremacist slogans
    r"sieg heil\w*|white power|race war|hitler (?:was|is) right|juden raus|kebab remov\w*|remove kebab|"
    r"(?:jews|you) will not replace us|"
    # fifth round: the fourteen words and the ethnostate, ZOG, the octopus and the echo said in words
    r"secure the existence of our people|a future for white children|white genocide|\w*ethnostates?|"
    r"zog|triple (?:parenthes[ie]s|brackets)|"
    rf"(?:{_CONSPIRACY_GROUP}) (?:\w+ ){{0,4}}octopus|octopus (?:\w+ ){{0,6}}(?:{_CONSPIRACY_GROUP})|"
    # a people blamed for a catastrophe or said to control the world ("jews did 9/11", "the zionists
    # control the media"): the conspiracy framing, not a group word alone
    rf"(?:{_CONSPIRACY_GROUP}) (?:(?:secretly|really|all|actually) )?(?:did|caused|planned|orchestrated|"
    r"staged|faked|are behind|were behind|control\w*|own|owns|run|runs|rule|rules|pull\w* the strings of) "
    r"(?:the )?(?:9 11|911|media|banks?|money|world|government|hollywood|news|everything|weather|covid|"
    r"pandemic|slave trade|wars?|west)|"
    # genocide celebrated ("a newsreel celebrating the final solution"), not remembered or documented
    r"(?:celebrat\w*|glorif\w*) (?:the )?(?:final solution|holocaust|shoah|genocide|ethnic cleansing|"
    r"pogroms?|kristallnacht|lynchings?)"
)
# Holocaust denial and minimisation ("the holocaust never happened", "6 million? more like 6 thousand"),
# not a film about denial or one that debunks it (`_COUNTERED`).
_DENIAL = re.compile(
    r"\b(?:(?:the )?holocaust (?:\w+ ){0,2}(?:never happened|didn t happen|did not happen|is a (?:lie|hoax|"
    r"myth|fraud|scam)|was (?:a lie|a hoax|a myth|fake|faked|made up|exaggerated|staged))|holocaust hoax|"
    r"(?:6|six) million (?:\w+ ){0,3}(?:more like|really|lie|myth|hoax|never)|"
    r"more like (?:6|six) (?:thousand|hundred)|(?:fake|hoax) gas chambers|"
    r"gas chambers (?:were|are) (?:fake|a hoax|a lie|showers|delousing)|"
    r"(?:anne frank|holocaust|auschwitz|gas chambers?|slavery|lynchings?) (?:\w+ ){0,3}(?:as a |as the )?"
    r"(?:punchline|joke)s?|(?:mocks|mocking|mocked|making fun of|make fun of|makes fun of) (?:\w+ ){0,2}"
    r"(?:anne frank|holocaust victims|the holocaust|auschwitz|slaves))\b"
)
_COUNTERED = re.compile(
    r"\b(?:debunk\w*|refut\w*|fact ?check\w*|counter\w*|dispel\w*|deniers?|denial|myths? about|"
    r"against|exposing the lie|anti\w*)\b"
)
# Mockery of a people, a disability, a sexuality or a faith: "making fun of deaf kids", "mocking the gays".
_MOCKED = (
    r"disabled|disabilit\w*|deaf|blind|autis\w*|down syndrome|wheelchair users?|cripples?|amputees?|"
    r"stutter\w*|dwarfs?|gays?|lesbians?|trans|transgender|queers?|jews?|jewish|muslims?|hindus?|sikhs?|"
    r"christians?|immigrants?|refugees?|blacks?|black people|asians?|mexicans?|arabs?|gypsies|roma|"
    r"(?:special|mentally) (?:needs|ill|challenged)|the handicapped|handicapped|cerebral palsy|dwarfism|"
    r"tourette\w*"
)
_MOCKERY = re.compile(
    r"\b(?:mocks|mocking|mocked|making fun of|make fun of|makes fun of|ridicul(?:e|es|ed|ing)|"
    # sixth round: an impression is mockery too ("imitates a kid with cerebral palsy")
    r"imitat(?:e|es|ed|ing)|mimic(?:s|ked|king)?|impersonat(?:e|es|ed|ing)|"
    rf"laugh(?:s|ing|ed)? at) (?:\w+ ){{0,3}}(?:{_MOCKED})\b"
)
# Sixth round: hatred staged as comedy, an advert or a product. Genocide (its victims, camps, gas) with a
# comic or commercial framing ("a sitcom where Anne Frank ...", "a Zyklon B scented candle", "the oven ... for
# the Jews, studio audience laughing"); pests carrying a people's symbol and spreading filth ("rats wearing
# kippahs", "rats with rainbow flags spreading AIDS"); a sexuality called groomers. Not when the prompt is
# history, remembrance or fights it (`_HISTORY`, `_COUNTERED`).
_GENOCIDE = re.compile(
    r"\b(?:anne frank|auschwitz|zyklon(?: b)?|gas chambers?|the holocaust|death camps?|concentration camps?|"
    r"cattle cars?|(?:ovens?|gas) (?:\w+ ){0,6}jews|jews (?:\w+ ){0,6}(?:ovens?|gassed|gas))\b"
)
_COMIC_OR_ADVERT = re.compile(
    r"\b(?:laugh track|laugh\w*|sitcom|sketch|comedy|comedic|comedian|parody|studio audience|stand up|"
    r"punchline|jokes?|hilarious|lol|lmao|memes?|commercial|tv ad|an ad|advert\w*|infomercial|scented|"
    r"candles?|merch\w*|theme park|board game|toys?|nostalgic|unboxing|game show|cartoon|prank)\b"
)
_SYMBOL_OF_A_PEOPLE = (
    r"kippahs?|yarmulkes?|skullcaps?|turbans?|hijabs?|burqas?|rainbow (?:flags?|scarves|capes)|"
    r"stars? of david|sombreros?|pride flags?"
)
_PESTS_OF_A_PEOPLE = re.compile(
    rf"\b(?:rats|cockroach\w*|roaches|lice|maggots|vermin|leeches|parasites|locusts) (?:\w+ ){{0,2}}"
    rf"(?:wearing|with|in|carrying|waving) (?:\w+ ){{0,1}}(?:{_SYMBOL_OF_A_PEOPLE})\b"
    r"(?=.*\b(?:spread\w*|infest\w*|scurry\w*|swarm\w*|sewers?|gnaw\w*|aids|plague|disease\w*|filth\w*))"
)
_GROOMER_SLUR = re.compile(
    r"\b(?:(?:gay|trans|lgbt\w*|queer|drag queens?|homosexual)s? (?:\w+ ){0,2}groomers?|"
    r"groomers? (?:\w+ ){0,2}(?:gay|trans|lgbt\w*|queer|drag queens?|homosexual)s?)\b"
)


def _staged_hatred(normalized: str) -> bool:
    staged = _GENOCIDE.search(normalized) is not None and _COMIC_OR_ADVERT.search(normalized) is not None
    if not (staged or _PESTS_OF_A_PEOPLE.search(normalized) or _GROOMER_SLUR.search(normalized)):
        return False  # most prompts: the (longer) history and counter-speech searches are skipped
    return _HISTORY.search(normalized) is None and _COUNTERED.search(normalized) is None


# A symbol of Nazism or the Klan staged as glorious or funny (`_TRIBUTE`), unless the prompt is about
# fighting it, remembering its victims or teaching its history (`_HISTORY`).
_HATE_SYMBOL = re.compile(
    r"\b(?:swastika\w*|ss (?:bolts|runes?|uniforms?|officers?|guards?|soldiers?|troops|insignia)|waffen ss|"
    r"sonnenrad|black sun|totenkopf|wolfsangel|odal runes?|nazi (?:flags?|salutes?|uniforms?|banners?|"
    r"rally|rallies|soldiers?|officers?|march\w*)|hitler|third reich|1488|88 (?:tattoo\w*|flags?|banners?|"
    r"patch\w*)|kkk|klan\w*|burning cross\w*|cross burning|stok\w* the ovens|lynch\w*)\b"
)
_TRIBUTE = re.compile(
    r"\b(?:heroic\w*|glorious|glorif\w*|triumph\w*|victory|victorious|celebrat\w*|proud\w*|epic|"
    r"majestic|noble|inspiring|inspirational|dank|memes?|funny|comedy|comedic|hilarious|lol|lmao|"
    r"punchline|clowns?|circus|laugh track|cheer\w*|anthem|hype|badass|legend\w*|aesthetic)\b"
)
_HISTORY = re.compile(
    r"\b(?:documentar\w*|history|historical|histor\w*|museum\w*|educational|lesson|lecture|memorial|"
    r"remembrance|remember\w*|victims?|survivors?|liberat\w*|allied|allies|resistance|defeat\w*|"
    r"tear\w* down|tore down|torn down|destroy\w*|punch(?!line)\w*|anti\w*|against|fights?|fighting|fought|"
    r"trials?|nuremberg|downfall|surrender\w*)\b"
)


def _glorified_symbol(normalized: str) -> bool:
    return (
        _HATE_SYMBOL.search(normalized) is not None
        and _TRIBUTE.search(normalized) is not None
        and _HISTORY.search(normalized) is None
    )


def _denied(normalized: str) -> bool:
    return _DENIAL.search(normalized) is not None and _COUNTERED.search(normalized) is None


# "sand n-words", "filthy n words", "n-words should go back": the slur named by its initial, as an insult
# (not "the history of the n-word", nor "he said the n-word").
_SPELLED_SLUR = re.compile(
    r"\b(?:(?:sand|filthy|dirty|stinking|stupid|dumb|lazy|fucking|damn|bunch of|those|these|you) n words?|"
    r"n words (?:are|should|must|deserve|blow\w*|get|go|out|ruin\w*|steal\w*|everywhere))\b"
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


# The unconditional hate entries as one pattern: one scan of the prompt instead of five (about 20% faster on
# long prompts than searching each in turn).
_HATE_LISTED = re.compile(
    "|".join(f"(?:{p.pattern})" for p in (_SLUR, _HATE_VIOLENCE, _HATE_PASSIVE, _SPELLED_SLUR, _MOCKERY))
)


@functools.lru_cache(maxsize=64)  # asked twice per check (the minors rule, then the term list)
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
    # colours of a picture are no people: "black and white footage", "on a black background"
    r"christians?|catholics?|churche?s?|"
    r"(?<!white and )blacks?(?! (?:and white|white|background|backdrop|screen|velvet))|"
    r"negro\w*|africans?|afro\w*|(?<!black and )(?<!black )whites?(?! (?:and black|background|backdrop))|"
    r"gays?|lesbians?|homo\w*|queers?|bisexual\w*|lgbt\w*|pride|trans|transgender\w*|tranny|"
    r"trannies|drag queens?|immigra\w*|migra\w*|refugees?|asylum|foreign\w*|invaders?|border|mexicans?|"
    r"latin\w*|hispanic\w*|arabs?|asians?|chinese|chinaman|japanese|koreans?|indians?|pakistan\w*|natives?|"
    r"aborigin\w*|indigenous|gyps\w*|gypos?|gyppos?|roma|romani|travell?ers|pikeys?|slavs?|polish|poles|polacks?|"
    r"syrians?|somalis?|haitians?|kurds?|filipin\w*|irish|palestin\w*|ukrainian\w*|russians?|africa|"
    r"reservations?|settlers?|race|races|racial\w*|racis\w*|ethnic\w*|minorit\w*|tribe\w*|massacres?|"
    r"dehumani\w*|blood and soil|brown people|halal|towel ?heads?|saracens?|hebrews?|armenians?|"
    r"albanians?|romanians?|nigerians?|vietnamese|uyghurs?|rohingya|tutsis?|hutus?|bosnia\w*|chechens?|"
    r"afghans?|iraqis?|iranians?|turks?|moroccans?|mormons?|amish|atheists?|buddhists?|gingers?|redheads?|"
    r"homeless|dwarfs?|midgets?|albinos?|mental(?:ly)? ill\w*|mentally disabled|"
    # coded: numbers, conspiracy words and euphemisms of the far right
    r"1488|14 88|fourteen words|great replacement|globalist\w*|bankers?|cosmopolitan\w*|joggers?|big noses?|"
    # eighth round: coded words, slurs and places of hatred the round-8 files used where no group was named
    r"13 50(?! (?:minutes?|mins?|hours?|pm|am|seconds?))|dindu\w*|pajeets?|sand ?n\w*gg\w*|"
    r"hook(?:ed)? noses?|usual suspects|cut (?:down )?the tall trees|tarrant|"
    r"srebrenica|rwanda|shias?|shiites?|sunnis?|ahmadis?|mecca|"
    r"six million|6 million|blood libel|death camps?|camps|deport\w*|crosses|"
    # the same in the languages the training prompts use besides English
    r"juifs?|jud[ií]os?|musulman\w*|mezquitas?|moros|zingar\w*|ausl[aä]nder|fl[uü]cht\w*|schwul\w*|negros?|"
    r"disabled|disabilit\w*|wheelchairs?|"
    r"cripples?|crippled|autis\w*|down syndrome|deaf|retard\w*|spastics?|spaz\w*|mongoloids?|"
    r"women|woman|feminis\w*|girls|nazi\w*|neo ?nazi\w*|hitler|fuhrer|swastika\w*|reich|heil|aryan|kkk|klan|"
    r"holocaust|genocide|pogroms?|concentration camps?|gas chambers?|ovens?|lynch\w*|nooses?|slaves?|slavery|"
    # animals alone name nobody ("rats in the sewers spreading plague", a nature film): pests given a people's
    # symbol are a listed framing (`_PESTS_OF_A_PEOPLE`), and a people called vermin is named in its own words
    r"segregat\w*|apartheid|supremac\w*|master race|untermensch\w*|subhumans?|savages?|"
    r"homophob\w*|bigot\w*|hate|hatred|slurs?|stereotyp\w*|"
    rf"caricatur\w*|blackface|minstrel\w*|sambo|coons?|dykes?|fags?|{_FAGGOT}|chinks?|kikes?|spics?|niggers?|"
    r"niggas?|wetbacks?|beaners?|ragheads?|towelheads?|kebabs?|zigeuner|christchurch|muzzies|mudslimes?|cracker|gringos?|"
    # fifth round: not only who, but how hatred frames them: a conspiracy ("they control the media", puppet
    # masters, replacement), denial, a symbol, a slur spelled by its initial, "degenerates"
    r"soros|rothschild\w*|octopus|puppet ?masters?|pulling the strings|cabal|new world order|zog|"
    r"control\w* (?:the )?(?:media|banks|money|world|government|hollywood)|replac\w*|invasion|invaded|"
    r"outbreed\w*|white genocide|ethnostate\w*|denial|deniers?|hoax|anne frank|auschwitz|"
    r"ss|sonnenrad|black sun|totenkopf|wolfsangel|iron cross|confederate|88|n words?|sodomit\w*|"
    r"conversion therapy|degenerate\w*|deaf|"
    r"(?<!venetian )(?<!roller )(?<!window )blind(?! (?:shadows?|slats?|spots?|dates?|corners?|taste))|"
    r"cerebral palsy|dwarfism|amputees?|handicapped|special needs|stutter\w*|"
    r"sign language|pagans?|sharia|crusade\w*|infidels?|heathens?|"
    rf"{_SLURS}"
)
_NAMES_TARGET = re.compile(rf"\b(?:{_TARGET})\b")


# A masked word in the text as written ("ret*rds", "d*kes"): nobody masks "retards the growth" or "Dick Van
# Dyke", so a mask that hides a slur, even one that is also an ordinary word, is the slur. Since the sixth
# round a digit or symbol standing for a letter inside the word is a mask too ("ch1nk", "p0lacks").
_MASKED_TOKEN = re.compile(
    r"[^\s*]*\w\*+\w[^\s*]*(?:\*+\w[^\s*]*)*|(?<![\w@$])[a-zA-Z]+[0-9@$]+[a-zA-Z][\w@$]*"
)
_LEET_INSIDE = re.compile(r"[a-zA-Z][0-9@$]+[a-zA-Z]")
_ANY_SLUR = re.compile(rf"^(?:{_SLURS}|{_AMBIGUOUS_SLURS})$")


def has_masked_slur(text: str) -> bool:
    if "*" not in text and _LEET_INSIDE.search(text) is None:
        return False
    return any(
        _ANY_SLUR.match(word) for token in _MASKED_TOKEN.findall(text) for word in normalize(token).split()
    )


def names_target(normalized: str) -> bool:
    """Whether the prompt names a group hate speech is aimed at, or a symbol or slur of hatred (`_TARGET`)."""
    return _NAMES_TARGET.search(normalized) is not None or languages.TARGETS.search(normalized)


def has_ambiguous_slur(normalized: str) -> bool:
    """A slur that is also an ordinary word or a name (`_AMBIGUOUS_SLURS`): hate when the model agrees."""
    return _AMBIGUOUS_SLUR.search(normalized) is not None


def lexicon_category(normalized: str, sexualizes_minor: bool) -> str | None:
    """The category an unambiguous term puts the prompt in, or None. `sexualizes_minor` is the verdict of
    `minors.sexualizes_minor` (a minor named next to sexual context, every sexual term here included)."""
    if _MINOR_TERM.search(normalized) or sexualizes_minor:
        return "minors"
    if (
        _HATE_LISTED.search(normalized)
        or _denied(normalized)
        or _glorified_symbol(normalized)
        or _staged_hatred(normalized)
    ):
        return "hate"
    if has_sexual_term(normalized):
        return "sexual"
    return None


# Remembrance: a prompt that honours the victims of hatred ("archival footage of the liberation of Auschwitz,
# honouring the victims"). The model reads the words such prompts share with hate (the camps, the groups) as
# hate; with this framing only a listed term blocks, so a documentary that argues denial still does.
_REMEMBRANCE = re.compile(
    r"\b(?:honou?r\w* (?:the |their |all )?(?:victims|dead|fallen|survivors|memory|lives)|in memory of|"
    r"in remembrance|remembrance (?:day|ceremony|service|vigil)|memorial (?:service|ceremony|vigil|day|"
    r"museum)|commemorat\w*|liberation of|survivors? (?:testimon\w*|tells?|recount\w*|shares?|speaks?)|"
    r"holocaust (?:memorial|museum|remembrance)|never again|mourn\w* (?:the )?victims)\b"
)


def honours_victims(normalized: str) -> bool:
    return _REMEMBRANCE.search(normalized) is not None


# Names and words that hold an explicit-looking word: "Moby Dick", "Dick Tracy", "Pussy Riot", "pussy willow".
# The model reads the word; the filter scores the prompt again without the name before a `sexual` block
# counts.
_NAMES = re.compile(
    r"\b(?:moby dick|dick (?:tracy|turpin|whittington|grayson|van dyke|cheney|francis|king smith)|"
    r"philip k dick|spotted dick|pussy (?:riot|willows?|cats?)|puss in boots|blue footed boob(?:y|ies)|"
    r"john lee hooker|hooker s green|cockney|cockpits?|shuttlecocks?|peacocks?|titmice|titmouse|"
    r"sussex|essex|middlesex|wessex|sextants?|sextets?|analys\w*|bukkake udon)\b"
)


def without_names(normalized: str) -> str:
    """The prompt with names and words that hold an explicit-looking word taken out (`_NAMES`)."""
    return _NAMES.sub(" ", normalized)
