"""Minor and sexual words in the languages besides English that prompts are written in, for `minors.py`.

Written as people type them and put through `text.normalize` once, at import, so each pattern meets the
prompt in the same form (Cyrillic look-alike letters become Latin ones, Chinese and Japanese characters are
spaced apart, a number is split from a non-Latin letter glued to it: "14岁" is "14 岁"). Only words with a
settled reading next to the other half of the rule: "girl" in Japanese or Chinese (女の子, 女孩) is left out,
since it is said of young women too; an age under 18 or a school year says more.
"""

# Turkish is written with the dotless "ı" on purpose.
# ruff: noqa: RUF001, RUF002, RUF003

from __future__ import annotations

import re
import unicodedata

from dreamverse.safety import groups
from dreamverse.safety.text import normalize

# Arabic and Hebrew write the article, "and", "to", "with" and "of" onto the next word ("لفتاة", "והילדה"):
# each word of theirs below is listed with those prefixes too.
_ARABIC_PREFIXES = ("", "ال", "و", "وال", "ب", "بال", "ل", "لل", "ف", "فال", "ك", "كال")
_HEBREW_PREFIXES = ("", "ה", "ו", "וה", "ל", "ב", "ש", "שה", "מ", "מה", "כ", "וב", "ול", "וש")


def _alternation(words: tuple[str, ...]) -> str:
    forms = sorted({normalize(word) for word in words}, key=len, reverse=True)
    return "|".join(re.escape(form) for form in forms if form)


def _prefixed(prefixes: tuple[str, ...], *words: str) -> tuple[str, ...]:
    return tuple(f"{prefix}{word}" for word in words for prefix in prefixes)


# Czech, Romanian, Hungarian and Vietnamese are often typed without their accents ("be gai 12 tuoi"): their
# words (and every undressing phrase) are listed both ways, but for the few that are another word without
# them (German "nahe", near; Hindi "naha", bathed; Spanish "eleva", raises; Italian "dite", you say).
_PLAIN_LETTERS = str.maketrans("đĐłŁıø", "dDlLio")
_NOT_PLAIN = frozenset(("nahe", "zak", "nahy", "naha", "eleva", "dite", "klar av"))


def _with_plain(*words: str) -> tuple[str, ...]:
    plain = (
        "".join(
            c
            for c in unicodedata.normalize("NFD", w.translate(_PLAIN_LETTERS))
            if not unicodedata.combining(c)
        )
        for w in words
    )
    return (*words, *(w for w in plain if w not in _NOT_PLAIN and w not in words))


def _romanian(*words: str) -> tuple[str, ...]:
    """Romanian words in both spellings of ș and ț (comma below, and the older cedilla)."""
    return tuple({w.translate(table) for w in words for table in ({}, str.maketrans("șțȘȚ", "şţŞŢ"))})


# The unit after a number that makes it an age, only where it cannot be a duration ("married 15 years" is
# "15 ans", "15 lat", "15 лет", "15 tahun" too): a unit said only of age ("12歳", "12岁", "12살",
# "12 yaşında", "a 13-letnia", "a 14-летняя", "12-річна", "13-årig", "12-jarige", "12-vuotias", "12 éves",
# "12letá", "12χρονη", "12 tuổi", "۱۲ ساله", "10 taong gulang"), or one after the verb that says "is ... old"
# ("tiene 12 años", "ma 13 lat", "ей 15 лет", "їй 12 років", "berusia 12 tahun", "are 12 ani", "är 13 år"),
# or Hindi's "12 saal ki".
_AGE_ONLY_UNITS = (
    "歳", "才", "岁", "살", "세", "yaşında", "yaşındaki",
    # Polish, Russian, Ukrainian: "-letni", "-летний", "-річний" in every case
    "letni", "letnia", "letnie", "letniego", "letnią", "letniej", "letniemu", "letnim", "letnich",
    "letnimi", "летняя", "летний", "летнюю", "летнего", "летней", "летнему", "летним", "летние", "летних",
    "летними", "річна", "річний", "річну", "річної", "річній", "річного", "річному", "річним", "річною",
    "річні", "річних", "jährig", "jährige", "jährigen", "jähriger", "jähriges",
    "letá", "letý", "leté", "letou", "letého", "letému", "letých", "letí", "letým", "leta", "lety",  # Czech
    "årig", "åriga", "årige", "åring", "åringen", "åringar",  # Swedish, Danish
    "jarige", "jarig",  # Dutch
    "vuotias", "vuotiaan", "vuotiasta", "vuotiaat", "vuotiaita", "vuotiaalle",  # Finnish
    "éves", "évesen", "évest", "eves",  # Hungarian ("15 éve házasok", married 15 years, is "éve")
    "χρονη", "χρονος", "χρονο", "χρονης", "χρονου", "χρονών", "χρονο",  # Greek
    "tuổi", "tuoi",  # Vietnamese ("15 năm" is the duration)
    "ساله", "سالہ",  # Persian, Urdu
    "वर्षीय",  # Hindi
    "taong gulang", "na taong gulang",  # Tagalog
)  # fmt: skip
_AGE_VERBS = (
    "tiene", "tenía", "cumple", "tem", "tinha", "fez", "ha", "aveva", "compie", "a", "avait", "fête", "hat",
    "ist", "ma", "miała", "ей", "ему", "им", "мне", "тебе", "berusia", "umurnya", "umur", "usia", "usianya",
    "їй", "йому", "мені", "jí", "mu", "are", "avea", "împlinește", "är", "er", "berumur",
)  # fmt: skip
_AGE_UNITS_AFTER_VERB = (
    "años", "anos", "anni", "ans", "jahre", "lat", "лет", "года", "год", "tahun", "років", "роки", "рік",
    "let", "ani", "år",
)  # fmt: skip
# Ages said around a number with words that are not units of their own: a child noun before it ("een meisje
# van 12", "en flicka på 13 år", "o fată de 12 ani", "una ragazzina di 13 anni"), "aged" ("בת 12", "بعمر
# 12", "อายุ 12", "edad 12", "वो 12 साल की है"). Each is (words before the number, words after it, what
# may not follow); a duration reads differently ("15 jaar getrouwd", "a 15-minute video", "בן 15 דקות").
_CHILD_NOUNS = {
    "nl": ("meisje", "meisjes", "jongen", "jongens", "jongetje", "kind", "kinderen", "kindje", "dochter",
           "zoon", "tiener", "tienermeisje", "nichtje", "neefje"),
    "sv": ("flicka", "flickan", "pojke", "pojken", "tjej", "kille", "barn", "dotter", "son", "pige",
           "pigen", "dreng", "drengen", "datter", "søn"),
    "ro": _romanian("fată", "fata", "fetiță", "fetița", "băiat", "băiatul", "băiețel", "copil", "copilă",
                    "fiică", "fiica", "fiu", "fiul", "elevă", "eleva", "elev", "adolescentă"),
    "it": ("ragazza", "ragazzina", "ragazzo", "ragazzino", "bambina", "bambino", "figlia", "figlio",
           "studentessa", "nipotina"),
}  # fmt: skip
_HINDI_AGE_OF = ("लड़की", "लड़का", "बच्ची", "बच्चा", "बच्चे", "बेटी", "बेटा", "छात्रा", "है", "हैं", "थी",
                 "था", "उम्र")  # fmt: skip
_URDU_AGE_OF = ("لڑکی", "لڑکا", "بچی", "بچہ", "بچے", "بیٹی", "بیٹا", "طالبہ", "ہے", "ہیں", "تھی", "تھا",
                "عمر")  # fmt: skip
_BENGALI_AGE_OF = ("মেয়ে", "ছেলে", "শিশু", "বাচ্চা", "কিশোরী", "মেয়েটি", "ছেলেটি")
_SHORT_DURATIONS = ("דקות", "דקה", "שניות", "שעות", "שעה", "ימים", "שנה", "שנים", "קומות", "מטר")
_AGE_AROUND_NUMBER: tuple[tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]], ...] = (
    (_CHILD_NOUNS["nl"], ("van",), ()),  # "een meisje van 12": the noun, then "van", then the number
    ((), ("jaar oud",), ()),
    (_CHILD_NOUNS["sv"], ("på",), ()),
    (_CHILD_NOUNS["ro"], ("de",), ()),
    (_romanian("în vârstă de", "vârsta de", "la vârsta de"), (), ()),
    (_CHILD_NOUNS["it"], ("di",), ()),
    (("בת", "בן", "כבת", "כבן", "בגיל", "גיל", "הבת", "הבן"), (), _SHORT_DURATIONS),  # Hebrew
    (("بعمر", "عمرها", "عمره", "عمري", "العمر", "سنها", "بسن", "في سن", "عمرش"), (), ()),  # Arabic, Persian
    (("edad", "nasa edad na"), (), ()),  # Tagalog
    (("उम्र", "आयु"), (), ()),  # Hindi: "उम्र 12"
    (("عمر",), (), ()),  # Urdu
    (("বয়স",), (), ()),  # Bengali: "বয়স 12"
)
# Thai writes without spaces: "อายุ" (age) glued to what comes before, "ขวบ" (years old, of a child) to what
# comes after; "แต่งงานมา 15 ปี" (married 15 years) has neither.
_THAI_AGE = re.compile(r"อายุ (\d{1,2})(?!\S)|(?<!\S)(\d{1,2}) ขวบ")


def _around_number(before: tuple[str, ...], after: tuple[str, ...], not_after: tuple[str, ...]) -> str:
    head = rf"(?<!\S)(?:{_alternation(before)}) " if before else r"(?<!\S)"
    if before and after:  # a noun and a word between it and the number: "meisje van 12"
        head = rf"(?<!\S)(?:{_alternation(before)}) (?:{_alternation(after)}) "
        after = ()
    tail = rf" (?:{_alternation(after)})(?!\S)" if after else r"(?!\S)"
    guard = rf"(?! (?:{_alternation(not_after)})(?!\S))" if not_after else ""
    return rf"{head}(\d{{1,2}}){tail}{guard}"


# Hindi, Urdu and Bengali say "of 12 years" for an age and a duration alike ("12 साल की लड़की", a girl of
# 12; "15 साल की शादी", 15 years of marriage): an age only before a child, "is" or "age".
_SOUTH_ASIAN_AGE = (
    rf"(?<!\S)(\d{{1,2}}) (?:साल|वर्ष) (?:की|का|के) (?:{_alternation(_HINDI_AGE_OF)})(?!\S)|"
    rf"(?<!\S)(\d{{1,2}}) {_alternation(('سال',))} (?:{_alternation(('کی', 'کا', 'کے'))}) "
    rf"(?:{_alternation(_URDU_AGE_OF)})(?!\S)|"
    rf"(?<!\S)(\d{{1,2}}) {_alternation(('বছর বয়সী',))}(?!\S)|"
    rf"(?<!\S)(\d{{1,2}}) {_alternation(('বছরের',))} (?:{_alternation(_BENGALI_AGE_OF)})(?!\S)"
)

# Children, school children and school years.
_MINOR_WORDS = (
    # Spanish, Portuguese, Italian, French
    "niña", "niñas", "niño", "niños", "niñita", "niñito", "nena", "nenas", "menina", "meninas", "menino",
    "meninos", "menininha", "menininho", "garotinha", "garotinho", "novinha", "criança", "crianças",
    "criancinha", "colegiala", "colegialas", "de primaria", "de secundaria", "de la eso",
    "do ensino fundamental",
    "bambina", "bambine", "bambino", "bambini", "ragazzina", "ragazzine", "ragazzino", "ragazzini",
    "di prima media", "di seconda media", "di terza media", "delle medie", "delle elementari", "enfant",
    "enfants", "cm1", "cm2", "ce1", "ce2", "élève de sixième", "élève de cinquième", "en sixième",
    "petite fille", "petites filles", "petit garçon", "écolier", "écoliers",
    # German
    "kleines mädchen", "kleine mädchen", "kleinen mädchen", "kleiner junge", "kleinen jungen",
    "grundschülerin", "grundschüler", "schulkind", "schulkinder", "klasse 5", "klasse 6", "klasse 7",
    "klasse 8", "fünften klasse", "sechsten klasse", "siebten klasse", "achten klasse", "neunten klasse",
    # Polish, in the cases a sentence puts them in
    "dziewczynka", "dziewczynki", "dziewczynce", "dziewczynkę", "dziewczynką", "dziewczynek",
    "dziewczynkom", "dziewczynkami", "chłopiec", "chłopca", "chłopcu", "chłopcem", "chłopcy", "chłopców",
    "chłopczyk", "chłopczyka", "dziecko", "dziecka", "dziecku", "dzieckiem", "dzieci", "dzieciom",
    "dziećmi", "uczennica", "uczennicy", "uczennicę", "uczennicą", "uczennice", "uczeń", "ucznia",
    "podstawówki", "piątej klasy", "szóstej klasy", "siódmej klasy", "ósmej klasy",
    # Russian
    "девочка", "девочки", "девочке", "девочку", "девочкой", "девочек", "девочкам", "девочками", "мальчик",
    "мальчика", "мальчику", "мальчиком", "мальчики", "мальчиков", "ребенок", "ребёнок", "ребенка",
    "ребёнка", "ребенку", "ребёнку", "ребенком", "ребёнком", "дети", "детей", "детям", "детьми",
    "школьница", "школьницу", "школьнице", "школьницей", "школьник", "школьника", "школьники",
    "малышка", "малышку", "малолетка", "малолетку", "малолетняя", "малолетнюю", "малолетней",
    "пятого класса", "шестого класса", "седьмого класса", "восьмого класса",
    # Ukrainian
    "дівчинка", "дівчинки", "дівчинці", "дівчинку", "дівчинкою", "дівчаток", "хлопчик", "хлопчика",
    "хлопчику", "хлопчиком", "хлопчики", "хлопчиків", "дитина", "дитини", "дитині", "дитину", "дитиною",
    "діти", "дітей", "дітям", "дітьми", "школярка", "школярки", "школярку", "школяркою", "школяр",
    "школярі", "неповнолітня", "неповнолітній", "неповнолітню", "неповнолітні", "неповнолітньої",
    "неповнолітнього", "підліток", "підлітка", "підлітки", "підлітків", "п'ятого класу", "шостого класу",
    "сьомого класу", "восьмого класу",
    # Turkish
    "kız çocuğu", "erkek çocuk", "küçük kız", "küçük erkek", "çocuk", "çocuklar", "çocuğu", "çocuğa",
    "çocukla", "ortaokul", "ilkokul", "ortaokullu", "ilkokullu", "liseli kız", "altıncı sınıf",
    "beşinci sınıf", "yedinci sınıf",
    # Japanese
    "幼女", "児童", "子供", "子ども", "小学生", "中学生", "女子中学生", "女子小学生", "女子高生", "ロリ",
    "小学1年生", "小学6年生", "中学1年生", "中学2年生", "中学3年生", "女児", "男児",
    # Chinese
    "小女孩", "小男孩", "儿童", "萝莉", "小学生", "初中生", "女中学生", "初一", "初二", "初三", "小学六年级",
    "小学五年级", "孩子", "女童", "男童",
    # Indonesian, Malay
    "anak perempuan", "anak laki laki", "anak kecil", "anak anak", "gadis kecil", "bocah", "bocil",
    "siswi", "siswi sd", "siswi smp", "murid sd", "murid smp", "kelas 5 sd", "kelas 6 sd", "anak sekolah",
    "kanak kanak", "budak perempuan", "budak lelaki", "budak kecil", "budak sekolah", "sekolah rendah",
    "murid sekolah rendah", "darjah 5", "darjah 6",
    # Hindi in Latin script and in Devanagari, Urdu, Bengali
    "bachi", "bachchi", "bacchi", "bachcha", "bacche", "bachche", "chhoti ladki", "chhota ladka",
    "chhoti bachi", "school girl", "school girls", "school boy", "school boys", "school ki ladki",
    "बच्ची", "बच्चियाँ", "बच्चियों", "बच्चा", "बच्चे", "बच्चों", "छोटी लड़की", "छोटा लड़का", "छोटी बच्ची",
    "मासूम बच्ची", "स्कूली छात्रा", "स्कूली लड़की", "स्कूल की लड़की", "स्कूल की छात्रा",
    "بچی", "بچیاں", "بچہ", "بچے", "بچوں", "چھوٹی بچی", "چھوٹی لڑکی", "چھوٹا لڑکا", "اسکول کی لڑکی",
    "اسکول کی طالبہ",
    "শিশু", "শিশুরা", "শিশুদের", "শিশুর", "বাচ্চা", "বাচ্চারা", "বাচ্চাদের", "ছোট মেয়ে", "ছোট্ট মেয়ে",
    "ছোট ছেলে", "স্কুলছাত্রী", "স্কুলের ছাত্রী", "স্কুলের মেয়ে",
    # Persian
    "کودک", "کودکان", "بچه", "بچهها", "دختربچه", "دختر بچه", "پسربچه", "پسر بچه", "دختر کوچک",
    "پسر کوچک", "دانشآموز", "دانشآموزان", "دبستانی",
    # Arabic, with the prefixes written onto the word
    *_prefixed(_ARABIC_PREFIXES, "طفل", "طفلة", "أطفال", "طفلتين", "بنت صغيرة", "فتاة صغيرة", "صبي",
               "ولد صغير", "رضيع", "رضيعة", "تلميذة", "تلميذ", "تلميذات", "تلاميذ", "زي المدرسة",
               "زي مدرسي", "مدرسة ابتدائية", "طالبة ابتدائي", "طالبة إعدادي"),
    "الزي المدرسي", "بالزي المدرسي",
    # Hebrew, with the prefixes written onto the word
    *_prefixed(_HEBREW_PREFIXES, "ילדה", "ילד", "ילדים", "ילדות", "ילדונת", "ילדון", "תינוק", "תינוקת",
               "תלמידה", "תלמידות", "תלמיד", "תלמידים", "נער", "בית ספר יסודי", "חטיבת ביניים"),
    # Greek
    "κοριτσάκι", "κοριτσάκια", "μικρό κορίτσι", "μικρή κόρη", "αγοράκι", "μικρό αγόρι", "παιδί", "παιδιού",
    "παιδάκι", "παιδάκια", "παιδιά", "μαθήτρια", "μαθήτριες", "μαθητής", "μαθητές", "δημοτικού",
    "γυμνασίου",
    # Czech
    *_with_plain(
        "holčička", "holčičky", "holčičku", "holčičkou", "holčičce", "malá holka", "chlapeček", "chlapečka",
        "malý kluk", "malého kluka", "dítě", "dítěte", "dítětem", "děti", "dětí", "dětem", "školačka",
        "školačky", "školačku", "školačkou", "školák", "školáka", "školáci", "žákyně", "žačka", "žák",
    ),
    # Romanian
    *_with_plain(
        *_romanian("fetiță", "fetița", "fetițe", "fetițele", "fetiței", "băiețel", "băiețelul", "copil",
                   "copilul", "copii", "copiii", "copilă", "copilei", "copiilor", "elevă", "elevi",
                   "școlăriță", "școlar", "școlari", "școlăriţe"),
    ),
    # Hungarian
    *_with_plain(
        "kislány", "kislányt", "kislányok", "kislánynak", "kisfiú", "kisfiút", "kisfiúk", "kisfiúnak",
        "gyerek", "gyereket", "gyerekek", "gyereknek", "gyermek", "gyermeket", "gyermekek", "iskolás",
        "iskoláslány", "iskolás lány", "általános iskolás",
    ),
    # Dutch ("kind" alone is English "kind": the article comes with it)
    "klein meisje", "kleine meisjes", "jong meisje", "jonge meisjes", "jongetje", "jongetjes", "een kind",
    "het kind", "kindje", "kindjes", "kinderen", "kleuter", "kleuters", "peuter", "peuters",
    "schoolmeisje", "schoolmeisjes", "scholiere", "scholieren", "basisschool", "basisschoolmeisje",
    "brugklasser", "brugklas",
    # Swedish, Danish ("barn" alone is English)
    "liten flicka", "lilla flickan", "flicka", "flickan", "flickor", "flickorna", "pojke", "pojken",
    "pojkar", "pojkarna", "barnen", "småbarn", "skolflicka", "skolflickor", "skolpojke", "mellanstadiet",
    "lågstadiet", "högstadiet", "lille pige", "små piger", "skolepige", "skolepiger", "skoledreng", "dreng",
    "drengen", "drenge", "børn", "børnene", "folkeskolen",
    # Finnish
    "pikkutyttö", "pikkutyttöä", "pieni tyttö", "pikkupoika", "pikkupoikaa", "lapsi", "lapset", "lapsen",
    "lasta", "lapsia", "lasten", "koulutyttö", "koulutyttöä", "koululainen", "koululaista", "koululaiset",
    "ala asteikäinen", "yläasteikäinen", "ala asteella", "yläasteella",
    # Vietnamese
    *_with_plain(
        "bé gái", "bé trai", "em bé", "trẻ em", "trẻ con", "đứa trẻ", "đứa bé", "cô bé", "cậu bé", "học sinh",
        "tiểu học", "trung học cơ sở",
    ),
    # Tagalog ("bata" alone is a brick in Malay and Indonesian)
    "batang babae", "batang lalaki", "mga bata", "ang bata", "isang bata", "ng bata", "sa bata", "bata pa",
    "dalagita", "dalagitang", "binatilyo", "paslit", "elementarya",
)  # fmt: skip
# Since the seventh round, by kind rather than by the phrasings earlier prompts used: under age in so many
# words, teens (English "teen" is a minor too), and pupils of a school only children attend, in every
# language above. Ordinary next to a child alone; they count only beside sexual context (`minors.py`).
_UNDER_AGE_WORDS = (
    "menor de edad", "menores de edad", "menor de idade", "menores de idade", "minorenne", "minorenni",
    "mineure", "mineures", "minderjährig", "minderjährige", "minderjährigen", "nieletnia", "nieletni",
    "nieletnie", "nieletnią", "nieletniej", "nieletniego", "несовершеннолетняя", "несовершеннолетний",
    "несовершеннолетние", "несовершеннолетнюю", "несовершеннолетней", "reşit olmayan", "未成年", "未成年者",
    "di bawah umur", "bawah umur", "naabalig", "nabalig", "नाबालिग", "نابالغ", "کمسن", "নাবালিকা", "নাবালক",
    "زیر سن قانونی", "خردسال", *_prefixed(_ARABIC_PREFIXES, "قاصر", "قاصرة", "قاصرات", "قاصرين"),
    *_prefixed(_HEBREW_PREFIXES, "קטינה", "קטין", "קטינים", "קטינות"), "ανήλικη", "ανήλικος", "ανήλικο",
    "ανήλικα", "ανήλικοι", "ανήλικης", "ανήλικων", "nezletilá", "nezletilý", "nezletilé", "nezletilou",
    "nezletilého", "nezletilí", *_romanian("minoră", "minori", "minore", "minorei", "minora"), "kiskorú",
    "kiskorút", "kiskorúak", "kiskorúval", "minderjarig", "minderjarige", "minderjarigen", "minderårig",
    "minderåriga", "mindreårig", "mindreårige", "alaikäinen", "alaikäisen", "alaikäistä", "alaikäiset",
    "vị thành niên", "trẻ vị thành niên", "wala pang 18",
)  # fmt: skip
_TEEN_WORDS = (
    "adolescente", "adolescentes", "adolescenti", "adolescent", "adolescents", "adolescentes",
    "jugendliche", "jugendlichen", "teenagerin", "nastolatka", "nastolatki", "nastolatek", "nastolatką",
    "подросток", "подростки", "подростка", "девочка подросток", "ergen", "ergenler", "ergen kız",
    "青少年", "少年少女", "remaja", "kishori", "abg",
    "किशोरी", "কিশোরী", "نوجوان", "نوجوانان", *_prefixed(_ARABIC_PREFIXES, "مراهقة", "مراهق", "مراهقات",
    "مراهقين"), "έφηβη", "έφηβος", "έφηβοι", "έφηβες", "náctiletá", "náctiletý", "puberťačka",
    *_romanian("adolescentă", "adolescenta", "adolescentei"), "tinédzser", "tinilány", "kamasz",
    "kamaszlány", "tiener", "tieners", "tienermeisje", "tienerjongen", "tonåring", "tonåringar",
    "tonårstjej", "tonårsflicka", "teenagepige", "teini", "teinityttö", "teinitytön", "tin edyer",
)  # fmt: skip
_PUPIL_WORDS = (
    "escolar", "escolares", "alumna de primaria", "alumna de secundaria", "colegial", "aluna do fundamental",
    "écolière", "écolières", "collégienne", "collégiennes", "lycéenne", "lycéennes", "scolaretta",
    "scolarette", "studentessa delle medie", "schulmädchen", "schülerin", "schülerinnen",
    "gimnazjalistka", "gimnazjalistki", "licealistka", "старшеклассница", "старшеклассницу", "школьницы",
    "lise öğrencisi", "ortaokul öğrencisi", "女子高校生", "女高中生", "初中女生", "小学女生",
    "小1", "小2", "小3", "小4", "小5", "小6", "中1", "中2", "中3", "高1", "高2",  # Japanese school years
    "siswi sma", "anak sma", "anak smp", "anak sd", "school wali ladki",
)  # fmt: skip
# Korean words take particles glued to them ("여자아이가"), and Thai is written without spaces: their words
# are matched as part of a token.
_MINOR_STEMS = (
    "여자아이", "남자아이", "어린이", "초등학생", "중학생", "여중생", "여고생", "소녀", "초등학교", "중학교",
    "미성년", "청소년", "고등학생", "여학생", "아동", "여아", "꼬마", "초딩", "중딩",
    # Thai: a child, a girl or boy child, a pupil, a minor ("เด็ก" alone is also an intern, "เด็กฝึกงาน")
    "เด็กผู้หญิง", "เด็กผู้ชาย", "เด็กหญิง", "เด็กชาย", "เด็กนักเรียน", "เด็กน้อย", "เด็กเล็ก", "เด็กประถม",
    "เด็กมัธยม", "เด็กอายุ", "เด็กๆ", "เด็กวัย", "เด็กสาว", "นักเรียนหญิง", "นักเรียนชาย", "นักเรียนประถม",
    "นักเรียนมัธยม", "ผู้เยาว์",
)  # fmt: skip

# Sexual and undressing words.
_SEXUAL_WORDS = (
    "sexo", "sexe", "sesso", "seks", "секс", "seksi", "sexy", "porno", "pornô", "порно", "pornografi",
    "desnuda", "desnudas", "desnudo", "desnudos", "nua", "nuas", "pelada", "nue", "nues", "nackt", "nackte",
    "nuda", "nude", "nudo", "nagie", "nago", "голая", "голый", "голые", "обнаженная", "обнажённая",
    "çıplak", "telanjang", "bugil", "nangi", "chudai", "lencería", "lingerie", "bielizna",
    "bieliźnie", "erótica", "erótico", "erotica", "erotico", "érotique", "erotisch", "erotische",
    "erotyczne", "erotyczna", "erotycznie", "erotis",
    "эротичная", "эротика", "erotik", "sensual", "sensuel", "provocativas", "provocantes", "aufreizend",
    "transando", "faire l'amour", "haciendo el amor", "fazendo amor", "facendo l'amore", "ngentot",
    "geschlechtsverkehr", "stosunek", "seksualne", "сексуальные", "половой акт", "fellation", "pompino",
    "裸", "全裸", "ヌード", "セックス", "エロ", "ポルノ", "セクシー", "性交", "做爱", "色情", "口交", "性感",
    "야동", "야한",
    # nudity, panties and lingerie (as English "lingerie" and "panties": not underwear in general, which a
    # children's clothing advert shows), porn and sex in the forms sentences put them in (eighth round; not
    # Polish "nagi", also the Japanese name Nagi, nor "naga", a dragon in Indonesian)
    "bragas", "calcinha", "calcinhas", "peladinha", "safada", "putaria", "toute nue", "tout nu",
    "tous nus", "culotte", "petite tenue", "spogliarello", "spogliata", "mutandine", "nacktbilder",
    "nacktfotos", "nacktvideo", "nagiej", "nagą", "nagich", "nagimi", "nagość", "nagości",
    "rozebrana", "rozebranej", "majtki", "majtkach", "majteczkach", "seksowna", "seksowne", "seksownie",
    "seksualnie", "голой", "голую", "голого", "голым", "голыми", "голых", "голенькая", "голенькой",
    "голенькую", "обнаженной", "обнажённой", "обнаженную", "раздетая", "раздетой", "раздетую", "трусики",
    "трусиках", "сексуальная", "сексуальной", "эротическое", "эротические", "порнография", "külot",
    "müstehcen", "脱光", "裸体", "黄片", "bokep", "mesum", "cabul", "pencabulan", "tanpa busana",
    "ngewe", "bogel", "berbogel", "lucah", "tanpa pakaian", "bina kapdon ke", "bina kapdon", "bina kapde",
    # Hindi, Urdu, Bengali, Persian
    "नंगी", "नंगा", "नग्न", "निर्वस्त्र", "अधनंगी", "सेक्स", "सेक्सी", "अश्लील", "पोर्न", "चुदाई", "कामुक",
    "यौन", "बिना कपड़ों", "बिना कपड़े",
    "ننگی", "ننگا", "برہنہ", "فحش", "سیکس", "سیکسی", "پورن", "جنسی", "بے لباس",
    "নগ্ন", "উলঙ্গ", "ন্যাংটা", "ন্যাংটো", "যৌন", "সেক্স", "সেক্সি", "পর্ন", "পর্নো", "অশ্লীল", "কামুক",
    "سکس", "سکسی", "پورنو", "برهنه", "لخت", "عریان", "شهوانی",
    # Arabic ("الجنسية" is also a nationality: only the masculine "جنسي" and "جنسيا" are listed)
    *_prefixed(_ARABIC_PREFIXES, "جنسي", "سكس", "سكسي", "إباحي", "إباحية", "عارية", "عاري", "عراة",
               "تعري", "إغراء", "مغرية", "شهواني", "شهوانية", "جماع"),
    "جنسيا", "بشكل مثير", "بإغراء", "ممارسة الجنس",
    # Hebrew ("מיני" is also "mini")
    *_prefixed(_HEBREW_PREFIXES, "סקס", "סקסי", "סקסית", "פורנו", "עירום", "עירומה", "עירומים", "ערומה",
               "ארוטי", "ארוטית", "מינית"),
    # Greek ("γυμνά πόδια" are bare feet: the neuter plural is left out)
    "γυμνή", "γυμνός", "γυμνοί", "γυμνές", "ολόγυμνη", "ολόγυμνος", "ολόγυμνο", "γδυμένη", "ξεγυμνωμένη",
    "σεξ", "σέξι", "σεξουαλική", "σεξουαλικό", "σεξουαλικά", "πορνό", "πορνογραφία", "στριπτίζ",
    "κιλοτάκι",
    # Ukrainian
    "гола", "голий", "голої", "голу", "голою", "голі", "голих", "оголена", "оголену", "оголеної",
    "оголений", "роздягнена", "роздягнута", "роздягнутою", "сексі", "сексуальна", "сексуальній",
    "сексуальну", "сексуальні", "сексуальної", "порнографія", "еротичне", "еротична", "еротика",
    # Czech
    *_with_plain(
        "nahá", "nahý", "nahé", "nahou", "nahatá", "nahatý", "nahatou", "svlečená", "svlečenou",
        "pornografie", "erotické", "erotická", "erotický", "kalhotky", "kalhotkách",
    ),
    # Romanian ("goală" is also "empty")
    *_with_plain(
        *_romanian("complet goală", "goală pușcă", "dezbrăcată", "dezbrăcat", "nud", "nudă", "pornografic",
                   "erotic", "erotică", "lenjerie intimă", "chiloței"),
    ),
    # Hungarian
    *_with_plain(
        "meztelen", "meztelenül", "pucér", "pucéran", "szex", "szexi", "pornó", "pornóvideó", "erotikus",
        "levetkőzve", "vetkőzős", "bugyi", "bugyiban",
    ),
    # Dutch
    "naakt", "naakte", "naaktfoto", "naaktfoto s", "naaktfilmpje", "seksfilmpje", "sexfilmpje",
    "seksvideo", "uitgekleed", "ontkleed", "slipje", "geil", "geile",
    # Swedish, Danish ("sex" and "seks" are also six: `without_false_sexual_words`)
    "naken", "nakna", "naket", "nakenbild", "nakenbilder", "nakenvideo", "nakenfilm", "sexvideo",
    "sexfilm", "sexig", "sexiga", "porr", "porrfilm", "porrvideo", "avklädd", "trosor", "erotisk",
    "erotiska", "kåt", "knulla", "nøgen", "nøgne", "nøgenbilleder", "nøgenbillede", "sexet", "afklædt",
    "trusser", "liderlig", "kneppe",
    # Finnish
    "alasti", "alaston", "alastomana", "alastomat", "alastonkuva", "alastonkuvia", "seksiä", "seksikäs",
    "seksikkäästi", "seksivideo", "pornoa", "pornovideo", "pikkuhousut", "pikkuhousuissa", "eroottinen",
    "eroottisesti",
    # Vietnamese (the tone mark sits on either vowel of "khỏa")
    *_with_plain(
        "khỏa thân", "khoả thân", "lõa thể", "lõa lồ", "trần truồng", "thoát y", "gợi cảm", "tình dục",
        "khiêu dâm", "nội y", "cảnh nóng", "phim sex", "làm tình",
    ),
    # Tagalog
    "hubad", "nakahubad", "hubo t hubad", "kantot", "kinakantot", "iyot", "jakol", "libog", "malibog",
    "malaswa", "kalaswaan",
)  # fmt: skip
# Undressing: sexual context unless it is for a bath, a shower or bed (as English "undresses for bed").
_UNDRESSING_WORDS = (
    "se desnuda", "desnudándose", "desnudarse", "se desviste", "desvistiéndose", "tirando a roupa",
    "tira a roupa", "se despindo", "se déshabille", "se déshabiller", "se déshabillant", "déshabillée",
    "si spoglia", "zieht sich aus", "sich ausziehen", "entkleidet", "rozbiera się", "rozbierająca się",
    "rozebrać się", "раздевается", "раздеваться", "раздеть", "soyunuyor", "soyunan", "buka baju",
    "membuka baju", "kapde utaar", "kapde utarti", "kapde utarte", "कपड़े उतार", "कपड़े उतारती",
    "कपड़े उतारते", "कपड़े उतारता", "कपड़े उतारो", "कपड़े उतारे", "کپڑے اتار", "کپڑے اتارتی", "کپڑے اتارتے",
    "کپڑے اتارو", "কাপড় খুলে", "কাপড় খোলে", "জামা খুলে", "لخت میشود", "خلع ملابسها", "تخلع ملابسها",
    "يخلع ملابسه", "تتعرى", "يتعرى", "מתפשטת", "מתפשט", "להתפשט", "התפשטות", "γδύνεται", "γδύνονται",
    "γδύσιμο", "роздягається", "роздягаються", "роздягатися", "роздягнутися", "svléká", "svléká se",
    "svlékat", "svléknout", *_romanian("se dezbracă", "dezbrăcându se"), "vetkőzik", "levetkőzik",
    "vetkőzés", "uitkleden", "kleedt zich uit", "klär av sig", "klär av", "klæder sig af", "riisuutuu",
    "riisuutumassa", "riisuu vaatteensa", "cởi đồ", "cởi quần áo", "cởi hết", "naghuhubad", "maghubad",
)  # fmt: skip
_BATH_OR_BED = (
    "para bañarse", "para el baño", "para la ducha", "para dormir", "antes del baño", "para o banho",
    "para tomar banho", "pour le bain", "pour prendre un bain", "pour la douche", "pour dormir",
    "pour se coucher", "per il bagno", "per fare il bagno", "per la doccia", "per dormire", "zum baden",
    "fürs bad", "zum schlafen", "fürs bett", "vor dem baden", "do kąpieli", "do snu", "przed kąpielą",
    "перед купанием", "для купания", "перед сном", "ко сну", "перед купанням", "для купання",
    "banyo için", "banyodan önce", "uyumak için", "untuk mandi", "mau mandi", "sebelum mandi",
    "untuk tidur", "nahane ke liye", "नहाने के लिए", "सोने के लिए", "نہانے کے لیے", "গোসলের জন্য",
    "স্নানের জন্য", "للاستحمام", "قبل الاستحمام", "للنوم", "برای حمام", "برای خواب", "לאמבטיה", "למקלחת",
    "לפני המקלחת", "לשינה", "για μπάνιο", "για το μπάνιο", "για ύπνο", "перед сном", "do vany",
    "na koupání", "ke spaní", "před koupáním", "pentru baie", "pentru somn", "fürdéshez", "fürdés előtt",
    "lefekvéshez", "voor het bad", "om in bad te gaan", "om te slapen", "voor het slapengaan",
    "för att bada", "inför badet", "för att sova", "til badet", "for at bade", "til sengetid", "kylpyyn",
    "saunaan", "suihkuun", "nukkumaan", "để tắm", "đi tắm", "đi ngủ", "para maligo", "bago maligo",
    "para matulog",
)  # fmt: skip
_SEXUAL_STEMS = (
    "알몸", "나체", "섹스", "섹시", "성관계", "오럴", "음란",
    # Thai
    "เปลือย", "แก้ผ้า", "โป๊", "ลามก", "เซ็กซี่", "เซ็กส์", "อนาจาร", "ยั่วยวน", "เพศสัมพันธ์",
)  # fmt: skip
# Words above in a sense that is not sexual: sex education, bare feet, a bare chest, the naked eye, and "sex"
# and "seks", six in Swedish and Danish, before what is counted ("en flicka på sex år", "seks børn").
_NOT_SEXUAL_PHRASES = (
    "educación sexual", "educação sexual", "educacion sexual", "educacao sexual", "pendidikan seks",
    "pendidikan seksual", "edukasi seks",
    "seks eğitimi", "edukacja seksualna", "сексуальное просвещение", "сексуальное воспитание",
    "сексуальна освіта", "сексуальне виховання", "σεξουαλική αγωγή", "σεξουαλική διαπαιδαγώγηση",
    "giáo dục tình dục", "यौन शिक्षा", "यौन स्वास्थ्य", "জৌন শিক্ষা", "যৌন শিক্ষা", "যৌন স্বাস্থ্য",
    "جنسی تعلیم", "آموزش جنسی", "سلامت جنسی", "تربیت جنسی", "هویت جنسی", "التثقيف الجنسي",
    "التعليم الجنسي", "חינוך מיני", "בריאות מינית", "裸足", "裸眼", "پای برهنه", "پابرهنه", "پا برهنه",
    "پای لخت", "پا لخت", "عاري الصدر", "عاري القدمين", "عاري الرأس",
)  # fmt: skip
_SIX = re.compile(
    r"(?<!\S)(?:sex|seks) (?=(?:år|årig\w*|åring\w*|barn|børn|timer|timmar|dage|dagar|uger|veckor|måneder|"
    r"månader|gange|gånger|minutter|minuter|piger|drenge|flickor|pojkar)(?!\S))"
)

# Grooming described in these languages as `minors.grooms_minor` reads it in English: an adult, a minor, a
# secret kept from others and a meeting alone (or gifts, the other sign child-protection guidance names).
_GROOMING_ADULTS = (
    "hombre", "señor", "adulto", "entrenador", "profesor", "vecino", "padrastro", "homem", "tio",
    "treinador", "professor", "vizinho", "padrasto", "homme", "adulte", "oncle", "entraîneur", "professeur",
    "voisin", "beau père", "mann", "erwachsener", "onkel", "trainer", "lehrer", "nachbar", "stiefvater",
    "uomo", "zio", "allenatore", "insegnante", "patrigno", "mężczyzna", "dorosły", "dorosły mężczyzna",
    "wujek", "nauczyciel", "sąsiad", "ojczym", "мужчина", "взрослый", "дядя", "тренер", "учитель", "сосед",
    "отчим", "чоловік", "дорослий", "дядько", "вчитель", "сусід", "вітчим", "pria", "om", "om om", "paman",
    "pelatih", "guru", "tetangga", "ayah tiri", "orang dewasa", "adam", "yetişkin", "amca", "dayı",
    "antrenör", "öğretmen", "komşu", "üvey baba", "volwassene", "oom", "leraar", "buurman", "stiefvader",
)  # fmt: skip
_GROOMING_SECRETS = (
    "secreto", "nuestro secreto", "no se lo digas a nadie", "sin decir nada", "a escondidas", "segredo",
    "nosso segredo", "não conta pra ninguém", "não contar a ninguém", "sem contar", "notre secret",
    "sans rien dire", "ne dis rien", "ne le dis à personne", "en cachette", "geheimnis", "unser geheimnis",
    "sag es niemandem", "niemandem sagen", "niemandem etwas", "segreto", "il nostro segreto",
    "non dirlo a nessuno", "di nascosto", "tajemnica", "nasza tajemnica", "nikomu nie mówił",
    "nikomu nie mówiła", "nikomu nie mów", "nikomu nie mówić", "w tajemnicy", "секрет", "наш секрет",
    "никому не говори", "никому не рассказывай", "никому не говорить", "в тайне", "таємниця",
    "наша таємниця", "нікому не казати", "нікому не кажи", "нікому не розповідай", "нікому не говорити",
    "таємно", "rahasia", "rahasiakan", "merahasiakan", "jangan bilang", "diam diam", "sırrımız",
    "kimseye söyleme", "kimseye söylemesini", "ons geheimpje", "geheimpje", "niemand vertellen",
)  # fmt: skip
_GROOMING_ALONE_OR_GIFTS = (
    "a solas", "en su casa", "en su habitación", "en su coche", "regalos", "le regala", "sozinho",
    "sozinha", "a sós", "no quarto dele", "presentes", "seul chez lui", "seule chez lui", "seul avec lui",
    "seule avec lui", "dans sa chambre", "chez lui", "cadeaux", "lui offre", "allein", "alleine",
    "in seiner wohnung", "in seinem zimmer", "geschenke", "schenkt ihm", "schenkt ihr", "da solo", "da sola",
    "a casa sua", "nella sua stanza", "regali", "sam na sam", "przyszedł sam", "przyszła sama",
    "do jego mieszkania", "prezenty", "наедине", "один на один", "к себе домой", "подарки", "дарит",
    "наодинці", "сам на сам", "до себе додому", "подарунки", "дарує", "berdua saja", "sendirian",
    "ke rumahnya", "di kamarnya", "hadiah", "yalnız", "baş başa", "hediye", "hediyeler", "alleen",
    "bij hem thuis", "cadeautjes", "cadeaus",
)  # fmt: skip


# Korean writes particles onto a word ("여자아이가") and Thai writes without spaces: their stems are matched
# as part of a token.
_STEM_SCRIPTS = re.compile(r"[\uac00-\ud7a3\u0e00-\u0e7f]")


class WordList:
    """Words and phrases of one kind (`MINOR_WORDS`, `SEXUAL_WORDS`, `TARGETS`), normalised like prompts.

    Looked up by token, not by a regular expression of a few hundred alternatives tried at every position of
    the prompt (that cost 30 to 40 µs a list on a long prompt): one set test for single words, and the rest of
    a phrase compared only where its first token occurs."""

    def __init__(self, words: tuple[str, ...], stems: tuple[str, ...] = ()) -> None:
        forms = {form for form in (normalize(word) for word in words) if form}
        self.words = frozenset(form for form in forms if " " not in form)
        self.phrases: dict[str, list[list[str]]] = {}
        for form in sorted(forms - self.words):
            first, *rest = form.split()
            self.phrases.setdefault(first, []).append(rest)
        self._stems = re.compile(rf"(?:{_alternation(stems)})") if stems else None
        # a token is a run of word characters and marks (`text.normalize`): whitespace bounds a word
        stem_part = f"|{self._stems.pattern}" if self._stems else ""
        self.pattern = re.compile(rf"(?<!\S)(?:{_alternation(words)})(?!\S){stem_part}")

    def search(self, normalized: str) -> bool:
        tokens = normalized.split()
        if not self.words.isdisjoint(tokens):
            return True
        if not self.phrases.keys().isdisjoint(tokens):
            for i, token in enumerate(tokens):
                for rest in self.phrases.get(token, ()):
                    if tokens[i + 1 : i + 1 + len(rest)] == rest:
                        return True
        if self._stems is None or normalized.isascii() or _STEM_SCRIPTS.search(normalized) is None:
            return False
        return self._stems.search(normalized) is not None

    def sub(self, replacement: str, normalized: str) -> str:
        return self.pattern.sub(replacement, normalized) if self.search(normalized) else normalized


_AGE_UNIT_WORDS = frozenset(
    normalize(unit).split()[0] for unit in (*_AGE_ONLY_UNITS, *_AGE_UNITS_AFTER_VERB, "saal", "sal")
)  # the first token of every unit
_AGE_AFTER_NUMBER = re.compile(
    rf"(?<!\S)(\d{{1,2}}) (?:{_alternation(_AGE_ONLY_UNITS)}|(?:saal|sal) (?:ki|ka|ke))(?!\S)|"
    rf"(?<!\S)(?:{_alternation(_AGE_VERBS)}) (\d{{1,2}}) (?:{_alternation(_AGE_UNITS_AFTER_VERB)})(?!\S)"
)
_AGE_AROUND = re.compile(
    "|".join([*(_around_number(*spec) for spec in _AGE_AROUND_NUMBER), _SOUTH_ASIAN_AGE, _THAI_AGE.pattern])
)
_DIGIT = re.compile(r"\d")
_AGE_AROUND_LATIN = frozenset(("van", "de", "di", "jaar", "edad"))


def ages(normalized: str) -> list[int]:
    """Ages said with a unit or the words around them in these languages ("12 años" after "tiene", "13 岁",
    "14 yaşında", "een meisje van 12", "בת 12")."""
    if _DIGIT.search(normalized) is None:
        return []
    tokens = normalized.split()
    found = []
    # the words around a number are Latin only in Dutch, Swedish, Romanian, Italian and Tagalog: an English
    # prompt with a number ("4k", "35mm") skips the scan
    if not normalized.isascii() or not _AGE_AROUND_LATIN.isdisjoint(tokens):
        found = [int(next(g for g in groups if g)) for groups in _AGE_AROUND.findall(normalized)]
    if _AGE_UNIT_WORDS.isdisjoint(tokens):
        return found
    return found + [int(a or b) for a, b in _AGE_AFTER_NUMBER.findall(normalized)]


def without_ages(normalized: str, replacement: str) -> str:
    if not ages(normalized):
        return normalized
    return _AGE_AROUND.sub(replacement, _AGE_AFTER_NUMBER.sub(replacement, normalized))


MINOR_WORDS = WordList((*_MINOR_WORDS, *_UNDER_AGE_WORDS, *_TEEN_WORDS, *_PUPIL_WORDS), _MINOR_STEMS)
SEXUAL_WORDS = WordList(_SEXUAL_WORDS, _SEXUAL_STEMS)
UNDRESSING_WORDS = WordList(_with_plain(*_UNDRESSING_WORDS))
BATH_OR_BED = WordList(_BATH_OR_BED)
GROOMING_ADULTS = WordList(_GROOMING_ADULTS)
GROOMING_SECRETS = WordList(_GROOMING_SECRETS)
GROOMING_ALONE_OR_GIFTS = WordList(_GROOMING_ALONE_OR_GIFTS)
_NOT_SEXUAL = re.compile(rf"(?<!\S)(?:{_alternation(_NOT_SEXUAL_PHRASES)})(?!\S)")


def without_false_sexual_words(normalized: str) -> str:
    """The prompt without the listed words' senses that are not sexual ("educación sexual", "裸足", Swedish
    "sex år"), for the minors rule to look for sexual context in."""
    if "sex" in normalized or "seks" in normalized:
        normalized = _SIX.sub("six ", normalized)
    return _NOT_SEXUAL.sub(" ", normalized)


def has_sexual_words(normalized: str) -> bool:
    """A sexual word of these languages, or undressing that is not for a bath or bed (call it on
    `without_false_sexual_words`)."""
    if SEXUAL_WORDS.search(normalized):
        return True
    return UNDRESSING_WORDS.search(normalized) and not BATH_OR_BED.search(normalized)


# Who hate speech is about, in the same languages: only a gate for the model's `hate` score
# (`lexicon.names_target`), so broad on purpose; the groups the prompts used, and since the seventh round
# every kind of group (`groups.py`).
_TARGETS = (
    "judíos", "judío", "judeus", "judeu", "musulmanes", "muçulmanos", "gitanos", "ciganos", "inmigrantes",
    "imigrantes", "maricones", "ebrei", "ebreo", "musulmani", "zingari", "negri", "immigrati", "froci",
    "juden", "muslime", "schwarzen", "schwule", "gitans", "noirs", "immigrés", "pédés", "arabes", "żydzi",
    "żydów", "muzułmanie", "cyganie", "czarni", "imigranci", "pedały", "евреи", "жиды", "мусульмане",
    "цыгане", "чёрные", "черные", "мигранты", "геи", "хачи", "yahudi", "yahudiler", "müslümanlar",
    "çingeneler", "siyahlar", "göçmenler", "ibneler", "kürtler", "suriyeliler", "ユダヤ人", "イスラム教徒",
    "在日", "朝鮮人", "黒人", "移民", "ホモ", "犹太人", "穆斯林", "吉普赛人", "黑人", "同性恋", "orang cina",
    "kulit hitam", "imigran", "kaum gay", "orang kristen", "musalman", "musalmaan", "dalit", "kaale log",
    "ghuspaithiye", "hijde", "bangladeshi",
)  # fmt: skip
_KOREAN_TARGET_STEMS = ("유대인", "무슬림", "흑인", "이민자", "게이", "조선족")
TARGETS = WordList(
    (*_TARGETS, *groups.GROUPS), (*_KOREAN_TARGET_STEMS, *groups.KOREAN_STEMS, *groups.THAI_STEMS)
)
