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

from dreamverse.safety import groups
from dreamverse.safety.text import normalize

# The unit after a number that makes it an age, only where it cannot be a duration ("married 15 years" is
# "15 ans", "15 lat", "15 лет", "15 tahun" too): a unit said only of age ("12歳", "12岁", "12살",
# "12 yaşında", "a 13-letnia", "a 14-летняя"), or one after the verb that says "is ... old" ("tiene 12 años",
# "ma 13 lat", "ей 15 лет", "berusia 12 tahun"), or Hindi's "12 saal ki".
_AGE_ONLY_UNITS = (
    "歳", "才", "岁", "살", "세", "yaşında", "yaşındaki", "letni", "letnia", "letnie", "letniego", "letnią",
    "летняя", "летний", "летнюю", "летнего", "летней", "jährig", "jährige", "jährigen", "jähriger",
)  # fmt: skip
_AGE_VERBS = (
    "tiene", "tenía", "cumple", "tem", "tinha", "fez", "ha", "aveva", "compie", "a", "avait", "fête", "hat",
    "ist", "ma", "miała", "ей", "ему", "им", "мне", "тебе", "berusia", "umurnya", "umur", "usia", "usianya",
)  # fmt: skip
_AGE_UNITS_AFTER_VERB = ("años", "anos", "anni", "ans", "jahre", "lat", "лет", "года", "год", "tahun")
# Children, school children and school years.
_MINOR_WORDS = (
    # Spanish, Portuguese, Italian, French
    "niña", "niñas", "niño", "niños", "nena", "nenas", "menina", "meninas", "menino", "meninos", "criança",
    "crianças", "colegiala", "colegialas", "de primaria", "de secundaria", "de la eso",
    "do ensino fundamental",
    "bambina", "bambine", "bambino", "bambini", "ragazzina", "ragazzine", "ragazzino", "ragazzini",
    "di prima media", "di seconda media", "di terza media", "delle medie", "delle elementari", "enfant",
    "enfants", "cm1", "cm2", "ce1", "ce2", "élève de sixième", "élève de cinquième", "en sixième",
    # German
    "kleines mädchen", "kleine mädchen", "grundschülerin", "grundschüler", "klasse 5", "klasse 6", "klasse 7",
    "klasse 8", "fünften klasse", "sechsten klasse", "siebten klasse", "achten klasse", "neunten klasse",
    # Polish
    "dziewczynka", "dziewczynki", "dziewczynką", "chłopiec", "chłopczyk", "dziecko", "dzieci", "uczennica",
    "uczennicą", "uczeń", "podstawówki", "piątej klasy", "szóstej klasy", "siódmej klasy", "ósmej klasy",
    # Russian
    "девочка", "девочки", "девочку", "мальчик", "мальчика", "ребенок", "ребёнок", "дети", "школьница",
    "школьницу", "школьник", "пятого класса", "шестого класса", "седьмого класса", "восьмого класса",
    # Turkish
    "kız çocuğu", "erkek çocuk", "çocuk", "çocuklar", "ortaokul", "ilkokul", "ortaokullu", "liseli kız",
    "altıncı sınıf", "beşinci sınıf", "yedinci sınıf",
    # Japanese
    "幼女", "児童", "子供", "子ども", "小学生", "中学生", "女子中学生", "女子小学生", "女子高生", "ロリ",
    "小学1年生", "小学6年生", "中学1年生", "中学2年生", "中学3年生",
    # Chinese
    "小女孩", "小男孩", "儿童", "萝莉", "小学生", "初中生", "女中学生", "初一", "初二", "初三", "小学六年级",
    "小学五年级", "孩子",
    # Indonesian
    "anak perempuan", "anak laki laki", "anak kecil", "gadis kecil", "bocah", "siswi sd", "siswi smp",
    "murid sd", "murid smp", "kelas 5 sd", "kelas 6 sd",
    # Hindi in Latin script
    "bachi", "bachchi", "bacchi", "bachcha", "bacche", "bachche", "chhoti ladki", "chhota ladka",
    "chhoti bachi",
)  # fmt: skip
# Since the seventh round, by kind rather than by the phrasings earlier prompts used: under age in so many
# words, teens (English "teen" is a minor too), and pupils of a school only children attend, in every
# language above. Ordinary next to a child alone; they count only beside sexual context (`minors.py`).
_UNDER_AGE_WORDS = (
    "menor de edad", "menores de edad", "menor de idade", "menores de idade", "minorenne", "minorenni",
    "mineure", "mineures", "minderjährig", "minderjährige", "minderjährigen", "nieletnia", "nieletni",
    "nieletnie", "nieletnią", "несовершеннолетняя", "несовершеннолетний", "несовершеннолетние",
    "несовершеннолетнюю", "reşit olmayan", "未成年", "未成年者", "di bawah umur", "naabalig", "nabalig",
)  # fmt: skip
_TEEN_WORDS = (
    "adolescente", "adolescentes", "adolescenti", "adolescent", "adolescents", "adolescentes",
    "jugendliche", "jugendlichen", "teenagerin", "nastolatka", "nastolatki", "nastolatek", "nastolatką",
    "подросток", "подростки", "подростка", "девочка подросток", "ergen", "ergenler", "ergen kız",
    "青少年", "少年少女", "remaja", "kishori",
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
# Korean words take particles glued to them ("여자아이가"): matched as a prefix.
_KOREAN_MINOR_STEMS = (
    "여자아이",
    "남자아이",
    "어린이",
    "초등학생",
    "중학생",
    "여중생",
    "여고생",
    "소녀",
    "초등학교",
    "중학교",
    "미성년",
    "청소년",
    "고등학생",
    "여학생",
)

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
)  # fmt: skip
_KOREAN_SEXUAL_STEMS = ("알몸", "나체", "섹스", "섹시", "성관계", "오럴")


# Korean writes particles onto a word ("여자아이가") and Thai runs its words together ("พวกพม่าเป็น"): their
# stems are looked for inside a token.
_HANGUL = re.compile(r"[\uac00-\ud7a3\u0e00-\u0e7f]")


def _alternation(words: tuple[str, ...]) -> str:
    forms = sorted({normalize(word) for word in words}, key=len, reverse=True)
    return "|".join(re.escape(form) for form in forms if form)


class WordList:
    """Words and phrases of one kind (`MINOR_WORDS`, `SEXUAL_WORDS`, `TARGETS`), normalised like prompts.

    Looked up by token, not by a regular expression of a few hundred alternatives tried at every position of
    the prompt (that cost 30 to 40 µs a list on a long prompt): one set test for single words, and the rest of
    a phrase compared only where its first token occurs."""

    def __init__(self, words: tuple[str, ...], korean_stems: tuple[str, ...]) -> None:
        forms = {form for form in (normalize(word) for word in words) if form}
        self.words = frozenset(form for form in forms if " " not in form)
        self.phrases: dict[str, list[list[str]]] = {}
        for form in sorted(forms - self.words):
            first, *rest = form.split()
            self.phrases.setdefault(first, []).append(rest)
        self._korean = re.compile(rf"(?:{_alternation(korean_stems)})")
        self.pattern = re.compile(rf"\b(?:{_alternation(words)})\b|{self._korean.pattern}")

    def search(self, normalized: str) -> bool:
        tokens = normalized.split()
        if not self.words.isdisjoint(tokens):
            return True
        if not self.phrases.keys().isdisjoint(tokens):
            for i, token in enumerate(tokens):
                for rest in self.phrases.get(token, ()):
                    if tokens[i + 1 : i + 1 + len(rest)] == rest:
                        return True
        if normalized.isascii() or _HANGUL.search(normalized) is None:
            return False
        return self._korean.search(normalized) is not None

    def sub(self, replacement: str, normalized: str) -> str:
        return self.pattern.sub(replacement, normalized) if self.search(normalized) else normalized


_AGE_UNIT_WORDS = frozenset(
    normalize(unit) for unit in (*_AGE_ONLY_UNITS, *_AGE_UNITS_AFTER_VERB, "saal", "sal")
)  # every unit is one token
_AGE_AFTER_NUMBER = re.compile(
    rf"\b(\d{{1,2}}) (?:{_alternation(_AGE_ONLY_UNITS)}|(?:saal|sal) (?:ki|ka|ke))\b|"
    rf"\b(?:{_alternation(_AGE_VERBS)}) (\d{{1,2}}) (?:{_alternation(_AGE_UNITS_AFTER_VERB)})\b"
)


def ages(normalized: str) -> list[int]:
    """Ages said with a unit of these languages ("12 años" after "tiene", "13 岁", "14 yaşında")."""
    if _AGE_UNIT_WORDS.isdisjoint(normalized.split()):
        return []
    return [int(a or b) for a, b in _AGE_AFTER_NUMBER.findall(normalized)]


def without_ages(normalized: str, replacement: str) -> str:
    return _AGE_AFTER_NUMBER.sub(replacement, normalized) if ages(normalized) else normalized


MINOR_WORDS = WordList((*_MINOR_WORDS, *_UNDER_AGE_WORDS, *_TEEN_WORDS, *_PUPIL_WORDS), _KOREAN_MINOR_STEMS)
SEXUAL_WORDS = WordList(_SEXUAL_WORDS, _KOREAN_SEXUAL_STEMS)

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
