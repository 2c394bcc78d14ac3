"""Sexual content involving anyone under 18: a rule that does not depend on the model's wording.

Two questions on normalised text (`text.normalize`, so "k1ds", "t e e n" and "s3xy" are plain words):

- `mentions_minor`: does the prompt name a child, a teen, a school age or an age under 18? On its own this
  never blocks ("kids playing football", "a school play"); it decides that a prompt blocked as `sexual` is
  `minors`.
- `sexualizes_minor`: does it name a minor *and* put sexual, intimate or undressing context anywhere in the
  prompt (any order)? That blocks as `minors` whatever the model scores: euphemisms ("posing seductively",
  "take off her clothes", "touching his privates") are too varied for a model trained on a few hundred
  prompts, and a miss here is the costliest mistake the filter can make.

Both lists keep to words whose reading is settled by the other half: "naked" is context, but not "a naked
flame"; "sex" is, but not "sex education" or "the sex of the baby"; "baby" is a minor, but not "baby oil".
Words that are ordinary next to a child ("bath", "kiss", "secret", "moan", "lure") are left to the model.
"""

from __future__ import annotations

import functools
import re
from datetime import date

from dreamverse.safety import languages
from dreamverse.safety.lexicon import has_sexual_term

ADULT_AGE = 18
_AGE_WORDS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
              "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen")  # fmt: skip
_ORDINAL_WORDS = r"first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth"
_TEEN_ORDINALS = r"thirteenth|fourteenth|fifteenth|sixteenth|seventeenth"
_ORDINALS = _ORDINAL_WORDS + r"|\d{1,2}(?:st|nd|rd|th)"
_WORDS = (
    r"child|children|childs|kid|kids|kiddie|kiddies|kiddy|kidz|kiddo|kiddos|chld|chlds|chldren|"
    r"minor(?! (?:key|chord|scale|third|league|injur\w*|details?|roles?|characters?|changes?|issues?))|"
    r"minors|"
    r"underage|under age|preteen|preteens|pre teen|teen|teens|teenage|teenager|teenagers|tween|tweens|"
    r"adolescent|adolescents|pubescent|prepubescent|juvenile|juveniles|youngster|youngsters|"
    r"schoolgirl|schoolgirls|schoolboy|schoolboys|schoolchild|schoolchildren|schoolkids?|"
    r"toddler|toddlers|infant|infants|newborn|newborns|(?<!sugar )baby(?! oil|doll| doll| face)|babies|"
    r"little (?:girl|boy|one)s?|little princess(?:es)?|"
    # sixth round: pupils by school year, fictional schools too ("third years at hogwarts", "hogwarts
    # first years"); not "first year students" at a university, nor "the first year at the company"
    r"(?:first|second|third|fourth|fifth) years?(?= (?:at|from|of|in) (?:hogwarts|(?:the |a |an )?"
    r"(?:\w+ ){0,2}(?:school|academy)))|"
    r"(?:hogwarts|boarding school|school s) (?:first|second|third|fourth|fifth)"
    r" years?|young (?:girl|boy)s?|altar boys?|choir ?boys?|(?:boy|girl|cub) scouts?|"
    # "son" after an English word that says whose: French "son mec" and Spanish "son" ("they are") are not
    r"(?:(?<=his )|(?<=her )|(?<=their )|(?<=my )|(?<=your )|(?<=our )|(?<=the )|(?<=and )|(?<=a )|"
    r"(?<= s ))son|"
    r"daughter|daughters|sons|stepdaughter|stepdaughters|stepson|stepsons|niece|nieces|nephew|nephews|"
    r"grandchild|grandchildren|granddaughter|granddaughters|grandson|grandsons|"
    # a "student" alone may be an adult ("art students", "a college student"); a "pupil" is at school
    r"(?<!dilated )(?<!grown )(?<!adult )(?<!mature )pupils?|school ?students?|school ?age\w*|"
    rf"(?:{_ORDINALS}) grader?s?|(?:middle|grade|high|elementary) schoolers?|"
    # eighth round: a training bra is worn before puberty; "teenz"; "hebe" porn (hebephilia)
    r"training bras?|teenz|hebe(?= (?:porn|xxx|nsfw|pics|vids?|videos?))|"
    r"(?:almost|nearly|not yet) (?:18|eighteen)|"
    r"middle school\w*|elementary school|primary school|preschool\w*|kindergart\w*|"
    # fourth round: a child described, not named ("a girl who hasn't hit puberty", "in grade six")
    r"junior high|little (?:sister|brother)s?|(?:in |a )?(?:grade|year) (?:[1-9]|1[0-2]|one|two|three|four|"
    r"five|six|seven|eight|nine|ten|eleven|twelve)(?! (?:old|olds|anniversary|plan|warranty|contract))|"
    r"(?:hasn t|has not|hadn t|not yet) (?:hit|reached|gone through|started) puberty|before puberty|"
    r"(?:voice|voices) (?:hasn t|has not|haven t) broken|(?:hasn t|has not) started (?:her|their) periods?|"
    rf"(?:{_ORDINAL_WORDS}|{_TEEN_ORDINALS}) birthday|"
    # fifth round: puberty under way, and school children in the other languages the prompts use
    r"(?:going|goes|went|is going) through puberty|mid puberty|"
    r"coll[ée]gien\w*|lyc[ée]en\w*|[ée]coli[eè]re?s?|fillettes?|gamines?|ni[ñn]as?|colegial\w*|"
    r"schulm[äa]dchen|m[äa]dchen|sch[üu]lerin\w*|schuljunge\w*"
)
# places only children have: a sexual act set there is framed as school age
_PLACES = (
    r"summer camp|sleepovers?|slumber part(?:y|ies)|daycare|day care|school bus|recess|school uniforms?|"
    r"schoolyard|high school(?! (?:reunion|sweethearts?|diploma|equivalen\w*))|sweet sixteen"
)
_ABUSER_WORDS = r"loli|lolita|shota|jailbait|jail bait|pedo\w*|paedo\w*"  # name a minor and sexualise at once
_WORDS += f"|{_PLACES}|{_ABUSER_WORDS}"
_MINOR_WORD = re.compile(rf"\b(?:{_WORDS})\b")
# "a teen boy", "an 11 year old girl", "a girl aged 13": the noun next to a minor word or an age is the child
_DESCRIBED_CHILD = re.compile(r"\b(?:someone (?:boy|girl)s?|(?:boy|girl)s? someone)\b")
_PERSON_OR_PLACE = re.compile(rf"\b(?:{_WORDS.removesuffix(f'|{_ABUSER_WORDS}')})\b")
_NUMBER = rf"\d{{1,2}}|{'|'.join(_AGE_WORDS)}"
_TEEN_AGE = rf"1[0-7]|{'|'.join(_AGE_WORDS[9:])}"
# A number that is not an age: "looks 10 years younger", "is 15 minutes long", "are 16 feet tall", and "16 9"
# (an aspect ratio).
_NOT_AGE = (
    r"(?! (?:years? (?:younger|older|ago|later|on|of)|times|feet|foot|ft|inch\w*|cm|mm|meters?|metres?|"
    r"miles?|km|kg|lbs?|pounds?|minutes?|mins?|seconds?|secs?|hours?|hrs?|days?|weeks?|months?|percent|"
    r"degrees?|stor(?:e?ys|ies)|floors?|fps|frames?|points?|dollars?|euros?|bucks|goals?|in the|out of|x|"
    # a count of grown-ups: "retro vhs look, two women ...", "she is one of them"
    r"women|men|people|guys|adults|couples|friends|strangers|lovers|partners|roommates|of (?:them|us|those)|"
    # eighth round: a count of people in a porn genre's title, "2 girls 1 guy", is no age
    r"guy|man|woman|girls?|boys?|dudes?|lady|ladies|chicks?|"
    r"\d+)\b)"
)
# Who the age is said of, and the verbs that say it: "she's actually 15", "both characters are 16".
_PERSON = (
    r"she|he|they|girl|boy|girls|boys|character|characters|model|models|actress|actor|kid|kids|students?|"
    r"pupils?|cheerleaders?|gymnasts?|dancers?|bride|"
    # sixth round: a partner whose age is said ("my gf is 16", "her boyfriend is 15")
    r"gf|bf|girlfriend|boyfriend|crush|date"
)
_HEDGE = r"actually|only|just|barely|really|supposedly|clearly|obviously|still|all|both|now"
# "12 year old", "a 9yo", "aged 13", "a boy of twelve", "just turned 15", "her 14th birthday", "looks about
# 14", "look 9", "she's actually 15", "both characters are 16"
_AGE = re.compile(
    rf"\b(?:({_NUMBER}) ?(?:years? olds?|yrs? olds?|yo)|"
    rf"(?:aged?|turned|(?:boy|girl|child|kid|lad|lass)s? of) "
    rf"({_NUMBER})|(\d{{1,2}})(?:st|nd|rd|th) birthday|"
    rf"(?:looks?|looking|appears?|appearing|seems?|seeming|passes for|passing for) (?:to be )?"
    rf"(?:about |around |like |maybe |barely |only |just |under |roughly )?({_NUMBER}){_NOT_AGE}|"
    rf"(?:{_PERSON}) (?:s |is |are |re |was |were )?(?:(?:{_HEDGE}) )?({_NUMBER}){_NOT_AGE}|"
    # an age insisted on with nobody named: "barely legal, but actually 15" (teen ages only: "really 3 of
    # them" is a count)
    rf"(?:actually|really|secretly|truly|in fact) (?:only |just |barely )?({_TEEN_AGE}){_NOT_AGE}|"
    # eighth round: an age asked for ("make them both 16")
    rf"(?:make|makes|making|made) (?:her|him|them|it) (?:both |all |only |just )?({_NUMBER}){_NOT_AGE}|"
    # French, Spanish, German, Italian: "une collégienne de 13 ans", "de 12 años", "14 jahre alt"
    r"(?:de|d|à|a|agée? de|âgée? de|edad de) (\d{1,2}) (?:ans|años|anos|anni)|"
    r"(\d{1,2}) (?:jahre alt|j[äa]hrig\w*))\b"
)
# A student is a child when a teacher or a school is named with them ("a teacher and her student"), not in
# "art students in a life drawing class" or "a college student".
_STUDENT = re.compile(
    r"\b(?<!college )(?<!university )(?<!grad )(?<!graduate )(?<!phd )(?<!grown )(?<!adult )(?<!mature )"
    r"students?\b"
)
_SCHOOL = re.compile(r"\b(?:teachers?|school|schools|classroom|homeroom|headmaster|headmistress)\b")
# ... unless the class is one adults take: "life drawing class, students sketch a nude model, the teacher's
# comments" names a teacher and students who are grown-ups.
_ADULT_CLASS = re.compile(
    r"\b(?:life drawing|figure drawing|life class|art class\w*|art schools?|colleges?|universit(?:y|ies)|"
    r"evening class\w*|adult (?:class\w*|education|learners?)|night school|conservatory|academy|workshop)\b"
)
_BORN = re.compile(r"\bborn (?:in )?((?:19|20)\d\d)\b")  # "a boy born in 2014": under 18 this year
_UNDER_AGE = re.compile(r"\bunder (?:the age of )?(\d{1,2})\b")  # "under 18": younger than the number

_CONTEXT = (
    # sexual words that are not explicit enough for the term list on their own
    # ... not "same sex", nor a possessive: "the baby's sex" (normalised "baby s sex") is biological
    r"(?<!single )(?<!same )(?<!opposite )(?<!either )(?<!both )(?<! s )"
    # ... nor the sex a scan finds out: "a scan of the baby to find out the sex"
    r"(?<!safe )(?<!safer )(?<!find out the )(?<!learn the )(?<!know the )(?<!reveal the )"
    r"(?<!reveals the )(?<!guess the )"
    r"sex(?! (?:education|ed|of|ratio|chromosomes?|cells?|determination|and (?:weight|age|height|name)))|"
    r"sexy|sexier|sexiest|sexual(?! (?:education|health|orientation|identity|development))|sexualis\w*|"
    r"sexualiz\w*|sext|sexts|sexting|erotic\w*|[ée]rotique\w*|er[óo]tic[ao]s?|erotisch\w*|"
    r"bedroom eyes|come hither|seduc\w*|sensual\w*|sultry|lewd\w*|lust|lusts|lustful|"
    r"lusting|horny|arous\w*|fetish\w*|provocatively|provocative (?:poses?|outfits?|clothes|dance|photos?)|"
    r"raunchy|sluts?|slutty|whores?|hookers?|prostitut\w*|pimp|pimps|pimping|brothels?|"
    r"perv|pervs|pervert\w*|pervy|"
    r"making out|make out|makes out|made out|make love|makes love|making love|made love|"
    r"in bed with (?:a|an|the|his|her|their) (?:man|woman|adult|older|grown)|"
    # slang for sex acts: ordinary verbs ("banged his head", "nailed the landing") only in these forms
    r"(?:get|gets|getting|got|gotten) (?:railed|banged|plowed|ploughed|boned|laid|shagged|humped|fingered|"
    r"dicked|rawed|screwed|nailed)(?! (?:out|up|over|into|the|his|her|a|to|by the))|"
    r"(?:do|does|doing|doin|did|done) (?:the nasty|the deed)|"
    r"play(?:s|ing|ed)? with (?:herself|himself|themselves)|"
    r"consummat(?:e|es|ed|ing) (?:the |their |her |his )?(?:marriage|union|relationship)|"
    r"bump(?:s|ing|ed)? uglies|knock(?:s|ing|ed)? boots|hanky panky|mak\w* whoopee|"
    r"(?:hook|hooks|hooking|hooked) up with "
    r"(?:a|an|the|his|her|their|some|older|grown|adult|man|men|woman|guy)|"
    r"(?:get|gets|getting|got) (?:it on|frisky|busy in bed)|booty call|one night stand|sugar (?:daddy|baby)|"
    r"french kiss\w*|kiss\w* (?:\w+ ){0,3}(?:passionately|with tongue|on the mouth|like (?:a )?lovers?)|"
    r"(?:romantic|sexual) (?:relationship|affair|date|night)|"
    # undressing and nudity
    r"undress\w*\b(?! for (?:bed|bedtime|sleep|a nap|a bath|the bath|bath))|disrob\w*|unclothed|"
    r"naked(?! (?:eye|flame|mole|trees?|branch\w*|bulbs?|lights?|truth))|"
    # eighth round: nudity ruled out is no context ("a sex-ed video for high schoolers, no nudity")
    r"(?<!no )(?<!without )(?<!zero )(?<!non )(?:nude|nudes|nudity)|nudist\w*|topless|bottomless|striptease|"
    r"(?<!comic )(?<!landing )(?<!film )(?<!the )"
    r"strip(?:s|ped|ping)?(?: naked| nude| off| down| for| in front| shows?| clubs?|$)|"
    r"clothes off|strip (?:games?|poker)|"
    # sixth round: undressing and nipples asked for in words the model reads less surely next to an age
    r"remov\w* (?:all (?:of )?)?(?:her |his |their |your )?"
    r"(?:clothes|clothing|bra|underwear|panties|bikini top)|"
    r"(?:her|his|their) nipples|nipples (?:showing|out|visible|exposed)|nip slips?|wearing nothing(?! but)|"
    r"(?:take|takes|taking|took|taken) off (?:his|her|their|your|my) (?:clothes|underwear|panties|pants)|"
    r"without (?:any )?clothes|no clothes on|lingerie|panties|onlyfans|"
    r"(?<!paint )(?<!wire )(?<!wallpaper )(?<!varnish )strippers?|"
    r"explicit(?:ly)?(?! (?:instructions?|directions?|permission|rules?|warnings?|lyrics|labels?))|"
    r"lift\w* (?:up )?(?:her|his|their) (?:skirt|dress)|"
    r"flash\w* (?:her|his|their|the) (?:chest|breasts?|boobs|tits|body|crotch|privates|bum|butt)|"
    # sexual posing
    r"spread(?:s|ing)? (?:\w+ )?(?:legs|thighs)|legs (?:spread|apart)|suggestive\w*|"
    # touching, exposure, voyeurism
    r"(?:touch|touches|touching|touched|rub|rubs|rubbing|rubbed|grab\w*|feel\w*) (?:\w+ ){0,3}"
    r"(?:privates|private parts|private areas?|crotch|genitals?|genitalia|between (?:his|her|their) legs)|"
    r"privates|private parts|genitalia|grop\w*|inappropriate(?:ly)? touch\w*|touch\w* inappropriately|"
    r"exposing (?:himself|herself|themselves)|expose[sd]? (?:himself|herself|themselves)|voyeur\w*|"
    r"peeping toms?|upskirt\w*|"
    # sixth round: a hidden camera on someone changing, undressing or showering
    r"(?:hidden|secret|spy|concealed|pinhole) (?:\w+ ){0,2}(?:camera|cam|angle|lens)s?\b"
    r"(?=.*\b(?:chang(?:e|es|ed|ing)\b|undress|shower|chang\w* room|locker room))|"
    r"(?:chang(?:e|es|ed|ing)|undress\w*|shower\w*) (?:\w+ ){0,6}(?:hidden|secret|spy|concealed|pinhole) "
    r"(?:\w+ ){0,2}(?:camera|cam|angle|lens)s?|"
    r"(?:up|under) (?:\w+ ){0,2}(?:skirt|dress) (?:\w+ ){0,2}(?:camera|photo\w*|film\w*)|"
    # eighth round: underwear shown, undressing or bathing for an audience, a camera kept on someone changing,
    # ageplay and daddy-dom roleplay, hentai faces
    r"(?:showing|shows|show|flashing|flashes|pos\w* in|sends? (?:\w+ )?in|pics? in|photos? in) "
    r"(?:her|his|their) (?:underwear|panties|thongs?|bra)|"
    r"(?:tak\w*|pull\w*|strip\w*) off (?:her|his|their) (?:dress|shirt|top|skirt|pants|trousers|shorts|"
    r"clothes|underwear|bra|panties|swimsuit|bikini|nightgown|pajamas|pyjamas) (?:\w+ ){0,3}"
    r"(?:for|in front of) (?:the |an? |his |her )?"
    r"(?:audience|camera|viewers|men|man|him|adults?|subscribers|followers|chat|friends)|"
    r"(?:bath\w*|shower\w*|chang(?:e|es|ing)|undress\w*) (?:\w+ ){0,4}(?:for (?:his|her|their|my) (?:\w+ )?"
    r"(?:friends|followers|subscribers|viewers|buyers|customers)|online)|"
    r"(?:zoom\w*|focus\w*|linger\w*) (?:\w+ ){0,6}(?:while|as) (?:she|he|they) "
    r"(?:changes|undresses|showers|strips)|"
    r"age ?play|daddy doms?|ddlg|ahegao|(?:los\w*|tak\w*) (?:her|his|their) virginity"
)
_SEXUAL_CONTEXT = re.compile(rf"\b(?:{_CONTEXT})\b")
# Grooming is named as such: "grooming a 12 year old", "groomed the kids" (not "a girl grooming her pony",
# nor "a groom and his son").
_DETERMINERS = r"a|an|the|his|her|their|our|young|little|vulnerable|lonely|shy"
_GROOMED = rf"(?:{_WORDS}|students?|(?:{_NUMBER}) ?(?:years? old|yo))"
_GROOMING = re.compile(rf"\bgroom(?:s|ed|ing|ers?)? (?:(?:{_DETERMINERS}) ){{0,2}}{_GROOMED}\b")

# Grooming described, not named: an adult and a child, a secret, and a private place ("an uncle's secret game
# under the blanket with his niece"). Each sign alone is ordinary (a dad's secret surprise party, a child
# reading under the covers); all four together are the pattern child-protection guidance describes.
_ADULT = re.compile(
    r"\b(?:man|men|uncles?|stepfathers?|stepdads?|step dads?|coach|teachers?|neighbou?rs?|priests?|adults?|"
    r"babysitters?|strangers?|boyfriend|tutors?|father|dad|daddy|grandpa|grandfather|guy|older \w+)\b"
)
_SECRECY = re.compile(
    r"\b(?:secrets?|don ?t tell|do not tell|just between us|"
    r"(?:nobody|no one) (?:has to|needs to|will) know)\b"
)
_PRIVACY = re.compile(
    r"\b(?:under the (?:blankets?|covers|sheets|duvet)|in (?:his|her|their|my|the same) bed|"
    r"behind closed doors|alone in (?:his|her|the|a) (?:room|bedroom|car|van|basement|house|shed)|"
    r"lock(?:s|ed|ing)? the door|"
    # eighth round: the games grooming names ("a grown-up game", "special practice", "tickle games")
    r"(?:grown up|special|tickle|naughty) (?:games?|practices?|sessions?|lessons?))\b"
)


# A minor word glued to a sexual one, as letters spelled apart come out of `text.normalize` ("p r e t e e n
# s e x" is "preteensex") or as tags are written ("#teenporn").
_GLUED = re.compile(
    r"\b(?:child|children|kid|kids|kiddie|kiddy|teen|teens|preteen|preteens|tween|tweens|underage|schoolgirl|"
    r"schoolboy|loli|baby|little ?girl|little ?boy)(?:sex|sexy|porn|nude|nudes|naked|nsfw|xxx)\w*\b"
)


def grooms_minor(normalized: str) -> bool:
    """True when an adult, a minor, a secret and a private place all appear (see `_ADULT`), each in English
    or in another language (`languages.GROOMING_ADULTS`; there gifts may stand for the private place)."""
    signs = (
        (_SECRECY, languages.GROOMING_SECRETS),
        (_PRIVACY, languages.GROOMING_ALONE_OR_GIFTS),
        (_ADULT, languages.GROOMING_ADULTS),
    )
    if not all(english.search(normalized) or other.search(normalized) for english, other in signs):
        return False
    return mentions_minor(normalized)


# Kin words name a relation, not an age: "stepmom and stepson roleplay, both adults" names no minor. An age,
# a child word or a school still counts whatever the prompt claims.
_KIN_WORD = r"(?:step ?)?(?:daughters?|sons?|nieces?|nephews?|sisters?|brothers?)"
_KIN = re.compile(rf"\b{_KIN_WORD}\b")
_ADULT_NUMBER = r"(?:1[89]|[2-9]\d)"
_ADULT_AGE = rf"{_ADULT_NUMBER} ?(?:years? olds?|yrs? olds?|yo)"
# eighth round: a relative whose adult age is said, "her 25 year old stepson" or "her stepson (25)", is no
# child either
_ADULT_AGED_KIN = re.compile(rf"\b{_ADULT_AGE} {_KIN_WORD}\b|\b{_KIN_WORD} {_ADULT_NUMBER}\b")
_DECLARED_ADULTS = re.compile(
    r"\b(?:both|all|they re|they are) (?:\w+ )?(?:adults|grown ups|over 18|18 or older|of age|consenting)|"
    r"consenting adults|adults only|all (?:characters|participants) (?:are )?(?:over )?18\b"
)


@functools.lru_cache(maxsize=64)  # asked by the rule and again by the filter for the same prompt
def mentions_minor(normalized: str) -> bool:
    """True when the (normalised) prompt names a child, a teen, a school age or an age under 18."""
    if _DECLARED_ADULTS.search(normalized):
        normalized = _KIN.sub("relative", normalized)
    normalized = _ADULT_AGED_KIN.sub("relative", normalized)
    if _MINOR_WORD.search(normalized) or languages.MINOR_WORDS.search(normalized):
        return True
    if any(age < ADULT_AGE for age in languages.ages(normalized)):
        return True
    if _STUDENT.search(normalized) and _SCHOOL.search(normalized) and not _ADULT_CLASS.search(normalized):
        return True
    if any(int(limit) <= ADULT_AGE for limit in _UNDER_AGE.findall(normalized)):
        return True
    if any(date.today().year - int(year) < ADULT_AGE for year in _BORN.findall(normalized)):
        return True
    for match in _AGE.finditer(normalized):
        age = next(group for group in match.groups() if group)
        if (int(age) if age.isdigit() else _AGE_WORDS.index(age) + 1) < ADULT_AGE:
            return True
    return False


# eighth round: the abuse of children said of a people, a faith or a sexuality as an insult ("gay men are all
# pedophiles", "muzzie pedo prophet cartoon"), with no sexual act asked for, is hate speech about that group,
# not a request to sexualise a child
_ABUSE_AS_INSULT = re.compile(r"\b(?:pedo\w*|paedo\w*|child molesters?|groomers?)\b")
# an adult age said ("18 year old college girl"): the model's `minors` on such a prompt is its teen framing
_ADULT_AGE_SAID = re.compile(rf"\b{_ADULT_AGE}\b")


def calls_a_group_abusers(normalized: str, names_group: bool) -> bool:
    """Whether the prompt (naming a group of people: `names_group`) calls it child abusers and asks for no
    sexual content."""
    return (
        names_group
        and _ABUSE_AS_INSULT.search(normalized) is not None
        and not has_sexual_term(normalized)
        and _SEXUAL_CONTEXT.search(normalized) is None
        and not languages.SEXUAL_WORDS.search(normalized)
    )


def says_adult_age(normalized: str) -> bool:
    """An age of 18 or more said of someone, and no minor named."""
    return _ADULT_AGE_SAID.search(normalized) is not None and not mentions_minor(normalized)


def without_minors(normalized: str) -> str:
    """The prompt with every child, age under 18 and children's place replaced by "someone": what is left
    says whether anything but the child made a model call it `minors` (see `SafetyFilter.check`). Words
    that sexualise by themselves ("loli", "jailbait") stay."""
    masked = _AGE.sub("someone", _PERSON_OR_PLACE.sub("someone", normalized))
    masked = languages.without_ages(languages.MINOR_WORDS.sub("someone", masked), "someone")
    return _DESCRIBED_CHILD.sub("someone", masked)


# "sex" meaning biological sex, or the school subject: the word the model most reads as sexual, here not
_BIOLOGICAL_SEX = re.compile(
    r"\b(?:sex (?:education|ed|of|ratio|chromosomes?|cells?|determination|and (?:weight|age|height|name))|"
    # a possessive before it, "the baby's sex" (normalised "baby s sex"), is biological too
    r"gender reveal|sex reveal|\w+ s sex|(?:find out|learn|know|reveal|reveals|guess) the sex|"
    # sixth round: sexual health ("a PSA about safe sex", "free STI testing")
    r"safer? sex|sexual health|sexually transmitted (?:infections?|diseases?))\b"
)


def without_biological_sex(normalized: str) -> str:
    """The prompt without "sex of the baby", "sex education" and the like, for the model to score again: what
    is left says whether anything else reads as sexual (see `SafetyFilter._sexual_signal_with_minor`)."""
    return _BIOLOGICAL_SEX.sub(" ", normalized)


def sexualizes_minor(normalized: str) -> bool:
    """True when the (normalised) prompt names a minor next to sexual, intimate or undressing context, or
    speaks of grooming one."""
    if _GROOMING.search(normalized) or grooms_minor(normalized) or _GLUED.search(normalized):
        return True
    # context first: most prompts have none, and then the (slower) minor check is skipped; what is found is
    # looked for again without the words' senses that are not sexual ("educación sexual", Swedish "sex år")
    if not _has_sexual_context(normalized):
        return False
    plain = languages.without_false_sexual_words(normalized)
    return (plain == normalized or _has_sexual_context(plain)) and mentions_minor(normalized)


def _has_sexual_context(normalized: str) -> bool:
    return bool(
        has_sexual_term(normalized)
        or _SEXUAL_CONTEXT.search(normalized) is not None
        or languages.has_sexual_words(normalized)
    )
