"""Who hate speech is about, by kind of group, in the languages besides English that prompts are written in.

Only a gate: the model's `hate` score blocks a prompt that names a group (`lexicon.names_target`), so a hate
prompt about a group no list names passed whatever the model said. Earlier rounds listed the groups their
prompts happened to use; these lists go by kind instead (faiths, peoples and nationalities, migrants,
sexualities and gender identities, disabilities, castes), each in Spanish, Portuguese, Italian, French,
German, Polish, Russian, Turkish, Japanese, Chinese, Korean, Indonesian and Hindi in Latin script, plural
and singular as people write them, and in English the kinds its pattern (`lexicon._TARGET`) had few
of. Broad on purpose: a word here decides nothing alone.
"""

# ruff: noqa: RUF001

from __future__ import annotations

import unicodedata

FAITHS = (
    # Spanish, Portuguese, Italian, French
    "judíos", "judías", "judío", "judía", "judeus", "judeu", "judia", "ebrei", "ebreo", "ebrea", "juifs",
    "juif", "juive", "juives", "musulmanes", "musulmán", "musulmana", "muçulmanos", "muçulmano",
    "muçulmana", "musulmani", "musulmano", "musulmana", "musulmans", "musulman", "musulmane", "islámicos",
    "islamistas", "islamici", "islamistes", "cristianos", "cristãos", "cristiani", "chrétiens",
    "católicos", "cattolici", "catholiques", "evangélicos", "hindúes", "hindus", "indù", "hindous",
    "sijs", "siques", "sikhs", "mormones", "testigos de jehová", "ateos", "ateus", "atei", "athées",
    "mezquita", "sinagoga", "mosquée", "synagogue", "moschea", "mesquita",
    # German, Polish, Russian, Turkish
    "jude", "jüdin", "juden", "jüdische", "muslim", "muslime", "muslimin", "moslems", "christen",
    "katholiken", "hindus", "atheisten", "moschee", "synagoge", "żyd", "żydzi", "żydów", "żydówka",
    "żydami", "muzułmanin", "muzułmanie", "muzułmanów", "chrześcijanie", "katolicy", "ateiści", "meczet",
    "synagoga", "еврей", "евреи", "евреев", "еврейка", "жид", "жиды", "жидов", "мусульманин",
    "мусульмане", "мусульман", "христиане", "католики", "атеисты", "мечеть", "синагога", "yahudi",
    "yahudiler", "yahudileri", "müslüman", "müslümanlar", "müslümanları", "hristiyan", "hristiyanlar",
    "gavur", "gavurlar", "ateistler", "aleviler", "alevi", "cami", "sinagog",
    # Japanese, Chinese, Korean
    "ユダヤ人", "ユダヤ教徒", "イスラム教徒", "ムスリム", "キリスト教徒", "創価", "犹太人", "犹太",
    "穆斯林", "回民", "基督徒", "清真寺", "유대인", "무슬림", "기독교인", "이슬람",
    # Indonesian, Hindi in Latin script
    "orang yahudi", "muslim", "kristen", "orang kristen", "kafir", "hindu", "ahmadiyah", "syiah",
    "masjid", "gereja", "yahudi", "musalman", "musalmaan", "musalmano",
    "musalmanon", "mullon", "mullo", "mulle", "mulla", "katua", "isai",
    "sikh", "sardar", "hinduon", "masjid", "mandir",
)  # fmt: skip

PEOPLES = (
    # Spanish, Portuguese, Italian, French
    "gitanos", "gitano", "gitana", "ciganos", "cigano", "zingari", "zingaro", "gitans", "tziganes",
    "romanichels", "negros", "negras", "pretos", "negri", "noirs", "nègres", "nègre", "árabes", "árabe",
    "arabi", "arabo", "arabes", "arabe", "bougnoules", "chinesa", "chineses", "cinesi", "cinese",
    "chinois", "chinoise", "asiáticos", "asiatici", "asiatiques", "indígenas", "indios", "sudacas",
    "sudaca", "panchitos", "mexicanos", "mexicano", "latinos", "africanos", "africani", "africains",
    "marroquíes", "marroquíes", "marocchini", "marocains", "rumanos", "romeni", "roumains", "albaneses",
    "albanesi", "albanais", "venezolanos", "haitianos", "haïtiens", "nordestinos", "bolivianos",
    "peruanos", "judaicos",
    # German, Polish, Russian, Turkish
    "schwarze", "schwarzen", "neger", "zigeuner", "sinti", "roma", "araber", "türken", "kanaken",
    "russen", "afrikaner", "asiaten", "chinesen", "kurden", "syrer", "afghanen", "rumänen", "ausländer",
    "czarni", "czarnych", "murzyni", "murzyn", "cyganie", "cyganów", "cygan", "romowie", "arabowie",
    "ukraińcy", "ukraińców", "rosjanie", "niemcy", "azjaci", "chińczycy", "wietnamczycy", "czeczeni",
    "чёрные", "черные", "черных", "негры", "негр", "цыгане", "цыган", "хачи", "хач", "чурки", "чурка",
    "кавказцы", "таджики", "узбеки", "чеченцы", "украинцы", "хохлы", "москали", "китайцы", "азиаты",
    "евреи", "siyahlar", "siyahi", "zenciler", "zenci", "çingeneler", "çingene", "kürtler", "kürt",
    "araplar", "arap", "suriyeliler", "suriyeli", "afganlar", "ermeniler", "ermeni", "rumlar", "çinliler",
    # Japanese, Chinese, Korean
    "在日", "朝鮮人", "韓国人", "中国人", "支那人", "黒人", "外国人", "アイヌ", "部落", "ジプシー",
    "黑人", "黑鬼", "吉普赛人", "维吾尔", "维族", "藏人", "日本人", "韩国人", "外国人", "阿拉伯人",
    "非洲人", "흑인", "조선족", "중국인", "짱깨", "일본인", "쪽바리", "외국인", "동남아", "탈북자",
    # Indonesian, Hindi in Latin script
    "orang cina", "cina", "aseng", "kulit hitam", "orang papua", "papua", "orang arab", "pribumi",
    "tionghoa", "rohingya", "kaale log", "kallu", "chinki", "chinkiyon", "bangladeshi", "bihari",
    "madrasi", "pakistani", "afriki", "habshi",
)  # fmt: skip

MIGRANTS = (
    "inmigrantes", "inmigrante", "migrantes", "refugiados", "ilegales", "imigrantes", "imigrante",
    "refugiados", "immigrati", "immigrato", "migranti", "clandestini", "profughi", "extracomunitari",
    "immigrés", "immigré", "migrants", "réfugiés", "clandestins", "flüchtlinge", "migranten", "asylanten",
    "einwanderer", "imigranci", "imigrantów", "uchodźcy", "uchodźców", "мигранты", "мигрантов", "беженцы",
    "приезжие", "гастарбайтеры", "göçmenler", "göçmen", "mülteciler", "mülteci", "sığınmacılar", "移民",
    "難民", "外国人労働者", "难民", "偷渡客", "이민자", "난민", "불법체류자", "imigran", "pengungsi",
    "pendatang", "ghuspaithiye", "ghuspaithiya", "sharnarthi",
)  # fmt: skip

SEXUALITIES = (
    "maricones", "maricón", "maricas", "homosexuales", "homosexual", "gays", "gay", "lesbianas",
    "lesbiana", "trans", "transexuales", "travestis", "bichas", "bicha", "viados", "viado", "sapatão",
    "sapatonas", "homossexuais", "froci", "frocio", "finocchi", "ricchioni", "lesbiche", "omosessuali",
    "pédés", "pédé", "tapettes", "tapette", "gouines", "homosexuels", "lesbiennes", "transsexuels",
    "schwule", "schwuchteln", "schwuchtel", "lesben", "homosexuelle", "transen", "pedały", "pedał",
    "ciota", "cioty", "geje", "gejów", "lesbijki", "геи", "гей", "педики", "пидоры", "пидор", "лесбиянки",
    "трансы", "ibneler", "ibne", "eşcinseller", "eşcinsel", "lezbiyenler", "dönme", "ホモ", "ゲイ",
    "オカマ", "レズ", "同性恋", "基佬", "变性人", "게이", "동성애자", "레즈", "트랜스젠더", "kaum gay",
    "banci", "bencong", "homo", "lgbt", "hijde", "hijra", "hijron", "chakka", "chhakka", "gandu",
)  # fmt: skip

DISABILITIES = (
    "discapacitados", "minusválidos", "subnormales", "retrasados", "mongólicos", "deficientes",
    "aleijados", "retardados", "mongoloides", "disabili", "handicappati", "ritardati", "mongoloidi",
    "handicapés", "débiles", "mongoliens", "attardés", "behinderte", "behinderten", "spastis", "krüppel",
    "mongos", "niepełnosprawni", "niepełnosprawnych", "kaleki", "инвалиды", "инвалидов", "калеки",
    "дауны", "даун", "умственно отсталые", "engelliler", "engelli", "sakatlar", "sakat", "özürlüler",
    "障害者", "ガイジ", "池沼", "残疾人", "残废", "智障", "장애인", "애자", "cacat", "orang cacat",
    "apahij", "pagal log", "langda", "andha",
)  # fmt: skip

CASTES = (
    "dalit", "dalits", "dalito", "achhut", "achhoot", "chamar", "chamaar", "bhangi", "harijan",
    "neech jaat", "shudra", "shudron", "parias", "intouchables", "unberührbaren", "неприкасаемые",
    "部落民", "賤民", "백정",
)  # fmt: skip

# English, the kinds the English pattern (`lexicon._TARGET`) had few of: nationalities and peoples beyond the
# ones earlier prompts named, faiths and their branches, castes, sexualities and gender identities,
# disabilities and illnesses people are mocked for.
ENGLISH = (
    # peoples and nationalities
    "bangladeshis", "bengalis", "punjabis", "gujaratis", "tamils", "nepalis", "tibetans", "sri lankans",
    "sudanese", "ethiopians", "eritreans", "congolese", "kenyans", "ugandans", "rwandans", "ghanaians",
    "senegalese", "malians", "jamaicans", "dominicans", "puerto ricans", "cubans", "venezuelans",
    "colombians", "guatemalans", "hondurans", "salvadorans", "egyptians", "libyans", "algerians",
    "tunisians", "lebanese", "jordanians", "saudis", "yemenis", "persians", "pashtuns", "kashmiris",
    "bedouins", "berbers", "yoruba", "igbo", "hausa", "zulus", "maori", "inuit", "hmong",
    "cambodians", "laotians", "thais", "malaysians", "indonesians", "mongolians", "kazakhs", "uzbeks",
    "tajiks", "chechens", "georgians", "greeks", "italians", "irishmen", "scots", "welsh", "brits",
    "americans", "canadians", "australians", "germans", "frenchmen", "dutch", "swedes", "norwegians",
    "finns", "hungarians", "czechs", "slovaks", "serbs", "croats", "bulgarians", "lithuanians",
    "latvians", "estonians", "belarusians", "moldovans", "portuguese", "spaniards", "brazilians",
    "argentinians", "peruvians", "chileans", "bolivians", "ecuadorians", "pacific islanders", "samoans",
    "tongans", "fijians", "native americans", "first nations", "aboriginals",
    # faiths and their branches
    "jains", "zoroastrians", "parsis", "bahais", "shias", "shiites", "sunnis", "ahmadis", "sufis",
    "druze", "alawites", "yazidis", "copts", "evangelicals", "protestants", "baptists", "quakers",
    "jehovah s witnesses", "scientologists", "wiccans", "rastafarians", "orthodox jews", "hasidim",
    "hasidic",
    # castes
    "dalits", "untouchables", "brahmins", "shudras", "burakumin",
    # sexualities and gender identities
    "bisexuals", "asexuals", "nonbinary", "non binary", "enbies", "intersex", "transsexuals",
    "transwomen", "transmen", "trans women", "trans men", "twinks", "femboys", "butches",
    # disabilities and illnesses
    "mutes", "paraplegics", "quadriplegics", "amputee", "schizophrenics", "bipolar", "adhd", "dyslexics",
    "lepers", "invalids", "stammerers", "the deaf", "hearing impaired", "visually impaired",
    "down s syndrome", "tourette s", "obese people", "fat people",
)  # fmt: skip


# Since the ninth round, the languages the lists above left out, by the same kinds (faiths, peoples and
# nationalities, migrants, sexualities and gender identities, disabilities, castes), with the inflected forms
# that a word-by-word lookup needs: Arabic and Hebrew glue the article and prepositions onto a word, Bengali
# its plural and case endings, and Greek, Romanian, Czech and Hungarian are often typed without accents.


def _prefixed(words: tuple[str, ...], prefixes: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(prefix + word for word in words for prefix in ("", *prefixes))


def _suffixed(words: tuple[str, ...], suffixes: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(word + suffix for word in words for suffix in ("", *suffixes))


def _without_accents(words: tuple[str, ...]) -> tuple[str, ...]:
    """Each word and its form typed without accents ("țiganii", "tiganii"; "γύφτοι", "γυφτοι")."""
    decomposed = (unicodedata.normalize("NFD", word) for word in words)
    bare = ("".join(c for c in word if not unicodedata.combining(c)) for word in decomposed)
    return (*words, *(unicodedata.normalize("NFC", word) for word in bare))


def _arabic(nouns: tuple[str, ...]) -> tuple[str, ...]:
    """Arabic nouns with the article and the prefixes glued onto it ("اليهود", "لليهود", "واليهود"), and each
    with its hamza seat dropped as it is often typed ("الأكراد", "الاكراد")."""
    forms = (*nouns, *("و" + noun for noun in nouns))
    definite = ("ال" + noun for noun in nouns)
    forms = (
        *forms,
        *_prefixed(tuple(definite), ("و", "ب", "ف", "ك", "وب")),
        *("لل" + noun for noun in nouns),
    )
    plain = (form.translate(str.maketrans("أإآ", "ااا")) for form in forms)
    return (*forms, *plain)


ARABIC = (
    *_arabic((
        # faiths
        "يهود", "يهودي", "يهودية", "مسلمين", "مسلمون", "مسيحيين", "مسيحيون", "مسيحي", "نصارى", "صليبيين",
        "كفار", "كافر", "شيعة", "روافض", "رافضة", "رافضي", "دروز", "علويين", "نصيرية", "مسلم", "ملحدين",
        "ملاحدة", "إيزيديين", "يزيديين", "أقباط", "بهائيين", "صهاينة", "صهيوني", "مجوس", "وثنيين",
        # peoples
        "عرب", "أكراد", "كرد", "أفارقة", "زنوج", "زنجي", "عبيد", "أتراك", "غجر", "هنود", "صينيين",
        "باكستانيين", "سوريين", "فلسطينيين", "مصريين", "أفغان", "بنغال", "أمازيغ", "بربر", "روهينغا",
        "روهينجا", "إيرانيين", "سودانيين", "أحباش", "يمنيين", "عراقيين", "أرمن",
        # migrants
        "مهاجرين", "مهاجرون", "لاجئين", "لاجئون", "نازحين", "وافدين", "أجانب", "مهاجر", "لاجئ",
        # sexualities and gender identities
        "مثليين", "مثليون", "مثلي", "مثليات", "شواذ", "شاذ", "لوطيين", "لوطي", "مخنثين", "مخنث", "متحولين",
        "متحولات", "سحاقيات", "خولات",
        # disabilities
        "معاقين", "معاقون", "معاق", "متخلفين", "متخلف", "منغوليين", "منغولي", "عميان", "طرشان", "مشلولين",
        # castes and the outcast
        "أخدام", "مهمشين",
    )),
    "ذوي الإعاقة", "ذوي الاحتياجات الخاصة", "متحولين جنسيا",
)  # fmt: skip

PERSIAN = (
    # faiths
    "یهودی", "یهودیان", "یهودیها", "یهودی ها", "کلیمی", "کلیمیان", "مسلمان", "مسلمانان", "مسلمانها", "مسیحی",
    "مسیحیان", "مسیحیها", "ارمنی", "ارمنیها", "ارمنی ها", "ارامنه", "بهایی", "بهاییان", "بهاییها", "بهائی",
    "بهائیان", "بهائیها", "سنیها", "سنی ها", "اهل سنت", "شیعه", "شیعیان", "زرتشتی", "زرتشتیان", "دراویش",
    "کافر", "کافرها", "کفار", "ملحد", "ملحدها", "ملحدان", "وهابی", "وهابیها", "صهیونیست", "صهیونیستها",
    # peoples
    "افغانی", "افغانیها", "افغانی ها", "افغانها", "افغان ها", "افغانستانی", "افغانستانیها", "اتباع افغان",
    "عرب", "عربها", "عرب ها", "اعراب", "عربا", "سوسمارخور", "سوسمار خور", "سوسمارخورها", "ملخ خور",
    "ملخ خورها", "کردها", "ترکها", "ترک ها", "بلوچ", "بلوچها", "لرها", "کولی", "کولیها", "کولی ها", "غربتی",
    "غربتیها", "سیاهپوست", "سیاهپوستان", "سیاهپوستها", "سیاه پوست", "سیاه پوستان", "کاکاسیاه", "کاکاسیاهها",
    "پاکستانی", "پاکستانیها", "هزاره", "هزارهها", "هزاره ها", "هندی ها", "هندیها", "چینیها", "چینی ها",
    # migrants
    "مهاجران", "مهاجرین", "مهاجر", "مهاجرها", "پناهجو", "پناهجویان", "پناهجوها", "پناهنده", "پناهندگان",
    "اتباع خارجی", "اتباع بیگانه", "بیگانگان", "اتباع غیرمجاز",
    # sexualities and gender identities
    "همجنسگرا", "همجنسگرایان", "همجنسگراها", "همجنس گرا", "همجنس گرایان", "همجنسباز", "همجنسبازها",
    "همجنس باز", "همجنس بازها", "کونی", "کونیها", "کونی ها", "ابنه ای", "ابنه ایها", "اوبنه ای", "ترنس",
    "ترنسها", "تراجنسیتی", "تراجنسیتیها", "دوجنسه", "دوجنسهها", "لزبین", "لزبینها", "اواخواهر", "اواخواهرها",
    # disabilities
    "معلول", "معلولان", "معلولین", "معلولها", "عقب مانده", "عقبمانده", "عقب ماندهها", "عقبماندهها",
    "عقب مانده ها", "عقب افتاده", "منگل", "منگلها", "چلاق", "چلاقها", "کور و کچل", "کر و لال",
)  # fmt: skip

URDU = (
    # faiths
    "یہودی", "یہودیوں", "یہود", "مسلمان", "مسلمانوں", "عیسائی", "عیسائیوں", "چوہڑے", "چوہڑا", "چوہڑوں",
    "چوڑے", "ہندو", "ہندوؤں", "سکھوں", "قادیانی", "قادیانیوں", "مرزائی", "مرزائیوں", "احمدی", "احمدیوں",
    "شیعہ", "شیعوں", "رافضی", "رافضیوں", "کافر", "کافروں", "کفار", "ملحد", "ملحدوں", "بہائی", "وہابی",
    "وہابیوں", "دیوبندی", "بریلوی", "مشرک", "مشرکوں",
    # peoples
    "پٹھان", "پٹھانوں", "پنجابی", "پنجابیوں", "سندھی", "سندھیوں", "بلوچ", "بلوچوں", "مہاجر", "مہاجروں",
    "بنگالی", "بنگالیوں", "افغانی", "افغانیوں", "افغان", "افغانوں", "بہاری", "بہاریوں", "حبشی", "حبشیوں",
    "چینیوں", "ہندوستانی", "ہندوستانیوں", "پاکستانی", "پاکستانیوں", "ہزارہ", "کشمیری", "کشمیریوں",
    # migrants
    "پناہ گزین", "پناہ گزینوں", "مہاجرین", "تارکین وطن", "غیر ملکی", "غیر ملکیوں", "غیرملکیوں",
    # sexualities and gender identities
    "ہم جنس پرست", "ہم جنس پرستوں", "ہمجنس پرست", "کھسرا", "کھسرے", "کھسروں", "ہیجڑا", "ہیجڑے", "ہیجڑوں",
    "خواجہ سرا", "خواجہ سراؤں", "ٹرانسجینڈر", "ٹرانس جینڈر", "زنخا", "زنخے", "گانڈو", "لوطی",
    # disabilities
    "معذور", "معذوروں", "اپاہج", "اپاہجوں", "لنگڑا", "لنگڑے", "لنگڑوں", "اندھا", "اندھے", "اندھوں",
    "ذہنی معذور", "گونگے", "بہرے",
    # castes
    "چمار", "چماروں", "دلت", "دلتوں", "اچھوت", "اچھوتوں", "شودر", "شودروں", "مصلیوں", "کمی کمین", "کمینوں",
)  # fmt: skip

HINDI = (  # in Devanagari; `FAITHS` and the others have it in Latin script
    # faiths
    "मुसलमान", "मुसलमानों", "मुस्लिम", "मुस्लिमों", "मुल्ले", "मुल्ला", "मुल्लों", "कटुए", "कटुआ", "कटुओं",
    "कटवे", "जिहादी", "जिहादियों", "हिंदू", "हिन्दू", "हिंदुओं", "हिन्दुओं", "ईसाई", "ईसाइयों", "सिख",
    "सिखों", "सरदारजी", "यहूदी", "यहूदियों", "पारसी", "पारसियों", "नास्तिक", "नास्तिकों", "म्लेच्छ", "काफ़िर",
    "काफिर", "संघी", "संघियों", "अहमदिया",
    # peoples
    "बांग्लादेशी", "बांग्लादेशियों", "बंगलादेशी", "पाकिस्तानी", "पाकिस्तानियों", "रोहिंग्या", "रोहिंग्याओं",
    "बिहारी", "बिहारियों", "मद्रासी", "मद्रासियों", "चिंकी", "चिंकियों", "चीनियों", "नेपाली", "नेपालियों",
    "हब्शी", "हबशी", "अफ्रीकी", "अफ्रीकियों", "नीग्रो", "आदिवासी", "आदिवासियों", "कश्मीरी", "कश्मीरियों",
    "पूर्वोत्तर के लोग", "काले लोग",
    # migrants
    "घुसपैठिए", "घुसपैठियों", "घुसपैठिये", "घुसपैठिया", "शरणार्थी", "शरणार्थियों", "प्रवासी", "प्रवासियों",
    "बाहरी लोग", "बाहरी लोगों",
    # sexualities and gender identities
    "समलैंगिक", "समलैंगिकों", "हिजड़े", "हिजड़ा", "हिजड़ों", "हिजडे", "हिजडा", "गे लोग", "गे लोगों", "किन्नर",
    "किन्नरों", "ट्रांसजेंडर", "ट्रांसजेंडरों", "गांडू", "गांडुओं", "लेस्बियन", "लेस्बियनों",
    # disabilities
    "विकलांग", "विकलांगों", "अपाहिज", "अपाहिजों", "दिव्यांग", "दिव्यांगों", "लंगड़ा", "लंगड़े", "लंगड़ों",
    "अंधा", "अंधे", "अंधों", "मंदबुद्धि", "बहरे", "गूंगे", "लूले",
    # castes
    "दलित", "दलितों", "अछूत", "अछूतों", "चमार", "चमारों", "भंगी", "भंगियों", "शूद्र", "शूद्रों", "नीच जात",
    "नीच जाति", "नीची जात", "हरिजन", "हरिजनों", "ब्राह्मण", "ब्राह्मणों", "मेहतर", "डोमों", "महार",
    "वाल्मीकि समाज",
)  # fmt: skip

# Bengali glues the plural and the case endings onto the noun ("হিন্দুরা", "মুসলমানদের").
BENGALI = (
    *_suffixed((
        # faiths
        "মুসলমান", "মুসলিম", "হিন্দু", "মালাউন", "মালু", "খ্রিস্টান", "খ্রিষ্টান", "বৌদ্ধ", "ইহুদি", "ইহুদী",
        "আহমদিয়া", "কাদিয়ানি", "কাদিয়ানী", "নাস্তিক", "কাফের", "মোল্লা", "নেড়ে", "জিহাদি",
        # peoples
        "বিহারি", "বিহারী", "রোহিঙ্গা", "পাহাড়ি", "পাহাড়ী", "চাকমা", "আদিবাসী", "উপজাতি", "বাঙাল",
        "মারোয়াড়ি", "পাকিস্তানি", "বাংলাদেশি", "বাংলাদেশী", "নিগ্রো", "হাবশি",
        # migrants
        "শরণার্থী", "অনুপ্রবেশকারী", "অভিবাসী", "উদ্বাস্তু", "রিফিউজি",
        # sexualities and gender identities
        "সমকামী", "হিজড়া", "হিজরা", "লেসবিয়ান", "রূপান্তরকামী", "ট্রান্সজেন্ডার", "বৃহন্নলা",
        # disabilities
        "প্রতিবন্ধী", "পঙ্গু", "ল্যাংড়া", "বুদ্ধিপ্রতিবন্ধী", "প্রতিবন্ধি",
        # castes
        "দলিত", "নমঃশূদ্র", "নমশূদ্র", "চণ্ডাল", "চাঁড়াল", "মুচি", "মেথর", "ডোম", "অস্পৃশ্য", "শূদ্র",
    ), ("রা", "েরা", "দের", "দেরকে", "কে", "ের", "এর", "গুলো", "গুলোকে")),
    "নিচু জাত", "নিচু জাতের", "ছোট জাত", "ছোট জাতের", "নোংরা জাত", "কালো লোক", "কালো মানুষ",
)  # fmt: skip

# Hebrew glues the article and the prepositions onto a word ("הערבים", "לערבים", "והמהגרים").
HEBREW = _prefixed((
    # faiths
    "יהודים", "יהודי", "יהודיה", "מוסלמים", "מוסלמי", "מוסלמית", "נוצרים", "נוצרי", "גויים", "גוי", "דרוזים",
    "חרדים", "חרדי", "אתאיסטים", "כופרים", "בהאים",
    # peoples
    "ערבים", "ערבי", "ערביה", "ערבושים", "ערבוש", "פלסטינים", "פלסטינאים", "בדואים", "אתיופים", "אתיופי",
    "כושים", "כושי", "כושית", "פרענקים", "פרענק", "מזרחים", "אשכנזים", "רוסים", "צוענים", "סודנים",
    "אריתראים", "תורכים", "טורקים", "אפריקאים", "סינים",
    # migrants
    "מהגרים", "מהגר", "מהגרי עבודה", "פליטים", "פליט", "מסתננים", "מסתנן", "עובדים זרים",
    # sexualities and gender identities
    "הומואים", "הומו", "הומוסקסואלים", "לסביות", "לסבית", "טרנסים", "טרנסית", "טרנסג'נדרים", "קוקסינלים",
    "קוקסינל", "מתרוממים", "קווירים",
    # disabilities
    "נכים", "נכה", "מפגרים", "מפגר", "בעלי מוגבלויות", "משותקים", "עיוורים", "חירשים",
), ("ה", "ל", "ו", "ב", "מ", "ש", "כ", "וה", "של", "שה", "מה", "וב", "ול", "ומ", "וש"))  # fmt: skip

GREEK = _without_accents((
    # faiths
    "εβραίοι", "εβραίος", "εβραίους", "εβραίων", "εβραία", "οβριοί", "οβραίοι", "μουσουλμάνοι",
    "μουσουλμάνος", "μουσουλμάνους", "μουσουλμάνων", "μουσουλμάνα", "ισλαμιστές", "χριστιανοί", "άθεοι",
    "μάρτυρες του ιεχωβά", "τζαμί", "συναγωγή",
    # peoples
    "τσιγγάνοι", "τσιγγάνους", "τσιγγάνων", "τσιγγάνος", "γύφτοι", "γύφτους", "γύφτων", "γύφτος", "γύφτισσα",
    "ρομά", "αθίγγανοι", "αθίγγανους", "νέγροι", "νέγρους", "νέγρος", "αράπηδες", "αράπη", "αράπης", "άραβες",
    "αράβων", "αλβανοί", "αλβανούς", "αλβανών", "αλβανός", "αλβανάκια", "αλβανάρες", "πακιστανοί",
    "πακιστανούς", "πακιστανών", "τούρκοι", "τούρκους", "τούρκων", "τουρκόσποροι", "τουρκόσπορους",
    "σκοπιανοί", "σκοπιανούς", "βούλγαροι", "ρώσοι", "κινέζοι", "αφρικανοί", "αφρικανούς", "αφγανοί",
    "αφγανούς", "σύροι", "σύρους", "πόντιοι", "πομάκοι", "κούρδοι",
    # migrants
    "μετανάστες", "μεταναστών", "μετανάστης", "λαθρομετανάστες", "λαθρομεταναστών", "λαθρομετανάστης",
    "λαθραίοι", "λαθραίους", "λάθρο", "πρόσφυγες", "προσφύγων", "πρόσφυγας", "αλλοδαποί", "αλλοδαπούς",
    "ξένοι", "ξένους",
    # sexualities and gender identities
    "ομοφυλόφιλοι", "ομοφυλόφιλους", "ομοφυλόφιλων", "ομοφυλόφιλος", "γκέι", "πούστηδες", "πούστης", "πούστη",
    "πουστάρες", "λεσβίες", "λεσβία", "τραβεστί", "τρανς", "τρανσέξουαλ",
    # disabilities
    "ανάπηροι", "ανάπηρους", "αναπήρων", "ανάπηρος", "αμεα", "καθυστερημένοι", "καθυστερημένους",
    "καθυστερημένος", "σακάτηδες", "σακάτης", "μογγόλοι", "μογγόλους", "μογγολάκια", "σπαστικοί",
))  # fmt: skip

UKRAINIAN = (
    # faiths
    "євреї", "євреїв", "євреям", "єврей", "єврейка", "жиди", "жидів", "жидам", "жид", "мусульмани",
    "мусульман", "мусульманам", "мусульманин", "християни", "католики", "атеїсти", "мечеть", "синагога",
    "сектанти",
    # peoples
    "роми", "ромів", "ромам", "ромами", "цигани", "циган", "циганам", "циганка", "негри", "негрів", "негр",
    "чорношкірі", "чорношкірих", "араби", "арабів", "кавказці", "кавказців", "москалі", "москалів", "москаль",
    "кацапи", "кацапів", "кацап", "росіяни", "росіян", "русня", "хохли", "китайці", "китайців", "азіати",
    "таджики", "узбеки", "чеченці", "поляки", "угорці",
    # migrants
    "мігранти", "мігрантів", "мігрантам", "іммігранти", "іммігрантів", "емігранти", "біженці", "біженців",
    "біженцям", "переселенці", "переселенців", "заробітчани", "приїжджі", "нелегали",
    # sexualities and gender identities
    "геї", "геїв", "гей", "педики", "педиків", "підори", "підорів", "підор", "підар", "підари",
    "гомосексуалісти", "гомосексуали", "лесбійки", "лесбійок", "трансгендери", "трансгендерів",
    "трансвестити", "лгбт",
    # disabilities
    "інваліди", "інвалідів", "інвалід", "люди з інвалідністю", "каліки", "калік", "каліка", "дауни", "даунів",
    "даун", "розумово відсталі", "дебіли", "дебілів",
)  # fmt: skip

# Each word also typed without its accents, as many do.
ROMANIAN = _without_accents((
    # faiths
    "evrei", "evreii", "evreu", "evreilor", "evreică", "jidani", "jidanii", "jidan", "jidanilor", "jidovi",
    "musulmanii", "musulmanilor", "creștini", "creștinii", "catolici", "atei", "pocăiți", "sectanți",
    # peoples
    "țigani", "țiganii", "țigan", "țiganilor", "țigancă", "țigănci", "țiganca", "romi", "romii", "rromi",
    "rromii", "romilor", "negrii", "negrilor", "cioroi", "cioroii", "arabii", "arabilor", "unguri", "ungurii",
    "bozgori", "bozgorii", "bozgor", "ruși", "rușii", "chinezi", "chinezii", "africani", "africanii",
    "moldoveni", "basarabeni", "turci", "turcii",
    # migrants
    "migranți", "migranții", "migranților", "imigranți", "imigranții", "imigranților", "refugiați",
    "refugiații", "refugiaților", "străini", "străinii",
    # sexualities and gender identities
    "homosexuali", "homosexualii", "homosexualilor", "poponari", "poponarii", "poponar", "bulangii",
    "bulangiu", "lesbiene", "lesbienele", "transsexuali", "persoane trans", "travestiți", "gay-i",
    # disabilities
    "handicapați", "handicapații", "handicapat", "retardați", "retardații", "retardat", "debili", "debilii",
    "mongoloizi", "mongoloid", "ologi", "schilozi", "infirmi", "persoane cu dizabilități",
))  # fmt: skip
# Romanian ș and ț are also typed with a cedilla (ş, ţ), the letters older keyboards had.
ROMANIAN += tuple(
    word.translate(str.maketrans("șțȘȚ", "şţŞŢ")) for word in ROMANIAN if any(c in word for c in "șț")
)

CZECH = _without_accents((
    # faiths
    "židé", "žid", "židy", "židů", "židům", "židovka", "muslimové", "muslimy", "muslimů", "muslimům",
    "křesťané", "katolíci", "ateisté", "synagoga",
    # peoples
    "cikáni", "cikán", "cikány", "cikánů", "cikánům", "cikánka", "romové", "romy", "romů", "romům", "negři",
    "negr", "negry", "negrů", "černoši", "černoch", "černochy", "černochů", "arabové", "araby", "arabů",
    "vietnamci", "vietnamce", "vietnamců", "ukrajinci", "ukrajince", "ukrajinců", "rusáci", "rusáky", "turci",
    "afričané", "asiati", "číňani",
    # migrants
    "migranti", "migranty", "migrantů", "imigranti", "imigranty", "imigrantů", "uprchlíci", "uprchlíky",
    "uprchlíků", "přistěhovalci", "přistěhovalce", "přistěhovalců", "běženci", "cizinci", "cizince",
    # sexualities and gender identities
    "homosexuálové", "homosexuály", "homosexuálů", "buzeranti", "buzeranty", "buzerant", "buzny", "buzna",
    "teplouši", "teplouše", "teplouš", "lesby", "lesbičky", "transky", "transgender lidi", "gayové",
    # disabilities
    "tělesně postižení", "mentálně postižení", "zdravotně postižení", "mrzáci", "mrzáky", "mrzák",
    "retardovaní", "retardi", "debilové", "mongolové", "vozíčkáři", "invalidé",
))  # fmt: skip

HUNGARIAN = _without_accents((
    # faiths
    "zsidók", "zsidó", "zsidókat", "zsidóknak", "zsidókról", "zsidókkal", "muszlimok", "muszlim",
    "muszlimokat", "muszlimoknak", "muzulmánok", "muzulmánokat", "keresztények", "katolikusok", "ateisták",
    "mecset", "zsinagóga",
    # peoples
    "cigányok", "cigány", "cigányokat", "cigányoknak", "cigányokról", "cigánygyerekek", "romák", "romákat",
    "négerek", "néger", "négereket", "szerecsenek", "arabok", "arabokat", "oláhok", "oláh", "románok",
    "ukránok", "kínaiak", "afrikaiak", "afgánok", "szírek", "törökök", "tótok", "bozgorok",
    # migrants
    "migránsok", "migránsokat", "migránsoknak", "migráns", "bevándorlók", "bevándorlókat", "bevándorló",
    "menekültek", "menekülteket", "menekült", "illegális bevándorlók",
    # sexualities and gender identities
    "homoszexuálisok", "homoszexuálisokat", "homokosok", "melegek", "melegeket", "buzik", "buzi", "buzikat",
    "buzeránsok", "leszbikusok", "leszbikus", "transzneműek", "transzok", "transzvesztiták",
    # disabilities
    "fogyatékosok", "fogyatékos", "fogyatékosokat", "fogyatékkal élők", "nyomorékok", "nyomorék",
    "nyomorékokat", "retardáltak", "retardált", "mongolok", "mongoloidok", "értelmi fogyatékosok",
    "rokkantak",
))  # fmt: skip

DUTCH = (
    # faiths
    "joden", "jood", "jodin", "jodenstreek", "moslims", "moslim", "islamieten", "christenen", "katholieken",
    "hindoes", "atheïsten", "moskee", "moskeeën", "synagoge",
    # peoples
    "zigeuners", "zigeuner", "negers", "neger", "nikkers", "nikker", "marokkanen", "marokkaan",
    "kutmarokkanen", "turken", "arabieren", "allochtonen", "allochtoon", "buitenlanders", "buitenlander",
    "surinamers", "antillianen", "oost europeanen", "chinezen", "aziaten", "afrikanen", "somaliërs",
    "eritreeërs", "syriërs",
    # migrants
    "migranten", "immigranten", "vluchtelingen", "asielzoekers", "gelukszoekers", "illegalen",
    "statushouders", "nieuwkomers",
    # sexualities and gender identities
    "homo s", "homos", "homoseksuelen", "flikkers", "flikker", "lesbiennes", "lesbo s", "transgenders",
    "transpersonen", "travestieten",
    # disabilities
    "gehandicapten", "gehandicapte", "mongolen", "mongooltjes", "mongool", "debielen", "spastici",
    "kreupelen", "invaliden", "zwakzinnigen", "achterlijken",
)  # fmt: skip

SWEDISH = (
    # faiths
    "judar", "judarna", "judinna", "muslimer", "muslimerna", "kristna", "katoliker", "hinduer", "ateister",
    "moské", "moskén", "synagogan",
    # peoples
    "zigenare", "zigenarna", "zigenarn", "negrer", "negrerna", "svartskallar", "svartskalle",
    "svartskallarna", "blattar", "blatte", "blattarna", "araber", "araberna", "somalier", "somalierna",
    "afghaner", "syrier", "turkar", "kineser", "asiater", "afrikaner", "utlänningar", "utlänningarna",
    "samer",
    # migrants
    "invandrare", "invandrarna", "flyktingar", "flyktingarna", "migranter", "migranterna", "asylsökande",
    "papperslösa", "nyanlända",
    # sexualities and gender identities
    "homosexuella", "bögar", "bögarna", "bög", "lesbiska", "flator", "transpersoner", "transsexuella",
    # disabilities
    "handikappade", "funktionshindrade", "efterblivna", "mongon", "krymplingar", "utvecklingsstörda",
    "cp skadade", "rullstolsburna",
)  # fmt: skip

DANISH = (
    # faiths
    "jøder", "jøde", "jøderne", "muslimerne", "kristne", "katolikker", "ateister", "moskeen", "synagogen",
    # peoples
    "sigøjnere", "sigøjnerne", "sigøjner", "romaer", "negre", "negrene", "perkere", "perker", "perkerne",
    "arabere", "araberne", "somaliere", "somalierne", "tyrkere", "afrikanere", "udlændinge", "udlændingene",
    "grønlændere", "østeuropæere",
    # migrants
    "indvandrere", "indvandrerne", "flygtninge", "flygtningene", "migranterne", "asylansøgere",

    # sexualities and gender identities
    "bøsser", "bøsserne", "bøsse", "homoseksuelle", "lesbiske", "transkønnede", "bøssekarle",
    # disabilities
    "handicappede", "spassere", "spasser", "evnesvage", "mongoler", "krøblinge", "retarderede",
)  # fmt: skip

FINNISH = (  # the plural and its common cases
    # faiths
    "juutalaiset", "juutalainen", "juutalaisia", "juutalaisten", "juutalaisille", "juutalaisista", "muslimit",
    "muslimi", "muslimeja", "muslimien", "muslimeille", "muslimeista", "kristityt", "ateistit", "moskeija",
    # peoples
    "mustalaiset", "mustalainen", "mustalaisia", "mustalaisten", "romanit", "romaneja", "neekerit", "neekeri",
    "neekereitä", "neekerien", "ryssät", "ryssä", "ryssiä", "ryssien", "somalit", "somaleja", "somalien",
    "arabit", "arabeja", "afrikkalaiset", "afrikkalaisia", "ulkomaalaiset", "ulkomaalaisia", "virolaiset",
    "saamelaiset", "lappalaiset", "kiinalaiset", "aasialaiset",
    # migrants
    "maahanmuuttajat", "maahanmuuttaja", "maahanmuuttajia", "maahanmuuttajien", "maahanmuuttajille",
    "pakolaiset", "pakolaisia", "pakolaisten", "turvapaikanhakijat", "turvapaikanhakijoita", "mamut", "mamu",
    "mamuja", "mamujen", "matut", "elintasopakolaiset",
    # sexualities and gender identities
    "homot", "homoja", "homojen", "hintit", "hintti", "hinttejä", "homoseksuaalit", "lesbot", "lesboja",
    "transihmiset", "transihmisiä", "transut", "transuja",
    # disabilities
    "vammaiset", "vammainen", "vammaisia", "vammaisten", "kehitysvammaiset", "kehitysvammaisia", "mongot",
    "mongoloidit", "rampa", "rammat", "raajarikot", "jälkeenjääneet", "cp vammaiset",
)  # fmt: skip

# Vietnamese writes each syllable apart: a group is a phrase.
VIETNAMESE = (
    # faiths
    "người do thái", "dân do thái", "bọn do thái", "người hồi giáo", "bọn hồi giáo", "tín đồ hồi giáo",
    "người theo đạo hồi", "người công giáo", "dân công giáo", "người theo đạo thiên chúa",
    "bọn đạo thiên chúa", "người tin lành", "dân tin lành", "người theo đạo phật", "người vô thần",
    "bọn vô thần",
    # peoples
    "người da đen", "bọn da đen", "mọi đen", "bọn mọi", "lũ mọi", "người dân tộc", "dân tộc thiểu số",
    "người thượng", "người chăm", "người khmer", "người hoa", "người tàu", "bọn tàu", "tàu khựa", "khựa",
    "bọn khựa", "chệt", "người trung quốc", "bọn trung quốc", "người ấn độ", "bọn ấn độ", "người campuchia",
    "bọn campuchia", "người lào", "người mỹ đen", "người hàn", "bắc kỳ", "nam kỳ", "parky", "bọn bắc kỳ",
    "dân bắc kỳ", "người rohingya", "người di gan", "dân gypsy", "người châu phi",
    # migrants
    "người nhập cư", "dân nhập cư", "người di cư", "dân di cư", "người tị nạn", "dân tị nạn", "người tỵ nạn",
    "lao động nhập cư", "người nước ngoài", "bọn nước ngoài",
    # sexualities and gender identities
    "người đồng tính", "dân đồng tính", "bọn đồng tính", "đồng tính luyến ái", "bê đê", "pê đê", "bede",
    "xăng pha nhớt", "người chuyển giới", "bọn chuyển giới", "người song tính", "đồng tính nữ", "bóng lộ",
    "bóng kín",
    # disabilities
    "người khuyết tật", "người tàn tật", "người tàn phế", "thằng què", "con què", "bọn què", "thằng mù",
    "thằng thiểu năng", "bọn thiểu năng", "người thiểu năng", "thiểu năng trí tuệ", "người câm điếc",
    "người bại liệt", "người down", "bọn tật nguyền", "người tật nguyền",
)  # fmt: skip

TAGALOG = (
    # faiths
    "mga hudyo", "hudyo", "mga muslim", "mga moro", "moro", "mga kristiyano", "mga katoliko", "mga ateista",
    "mga born again",
    # peoples
    "mga intsik", "intsik", "mga tsekwa", "tsekwa", "mga negro", "mga ita", "mga aeta", "aeta", "mga bumbay",
    "bumbay", "mga bombay", "mga katutubo", "mga igorot", "igorot", "mga badjao", "badjao", "mga hapon",
    "mga koreano", "mga arabo", "mga bisaya", "mga tagalog", "mga negrito", "mga kano",
    # migrants
    "mga dayuhan", "dayuhan", "mga imigrante", "mga refugee", "mga lumikas", "mga bakwit",
    # sexualities and gender identities
    "bakla", "mga bakla", "baklang", "bading", "mga bading", "badaf", "tomboy", "mga tomboy", "tibo",
    "silahis", "bayot", "mga bayot", "mga lesbiyana", "lesbiyana", "mga transgender", "mga trans",
    # disabilities
    "mga may kapansanan", "may kapansanan", "mga pilay", "pilay", "mga bulag", "mga bingi", "mga pipi",
    "mga baldado", "baldado", "mga abnoy", "abnoy", "mga mongoloid", "mga retarded", "mga sinto sinto",
)  # fmt: skip

MALAY = (
    # faiths
    "orang kristian", "kristian", "kaum kristian", "orang hindu", "kaum yahudi", "puak yahudi", "murtad",
    "golongan murtad", "orang kafir", "kaum kafir", "syiah", "kaum syiah",
    # peoples
    "orang melayu", "melayu", "keling", "orang keling", "orang india", "orang mamak", "kaum india",
    "kaum cina", "orang cina", "apek", "orang asli", "orang bangla", "bangla", "indon", "orang indon",
    "orang negro", "orang kulit hitam", "bumiputera", "orang sabah", "orang sarawak",
    "orang myanmar", "orang nepal", "orang rohingya",
    # migrants
    "pendatang asing", "pendatang haram", "pekerja asing", "pelarian", "kaum pendatang", "warga asing",
    # sexualities and gender identities
    "pondan", "mak nyah", "maknyah", "kaum pondan", "lesbian", "golongan lgbt", "kaum lgbt", "gay",
    "kaum gay", "songsang", "kaum nabi luth", "transgender",
    # disabilities
    "orang kurang upaya", "orang oku", "golongan oku", "orang cacat", "kudung", "orang buta", "orang pekak",
    "orang bisu", "terencat akal", "sindrom down",
)  # fmt: skip

# Thai is written without spaces between words: these are looked for inside a run of text (`THAI_STEMS`).
THAI_STEMS = (
    # faiths
    "ชาวยิว", "พวกยิว", "คนยิว", "มุสลิม", "อิสลาม", "พวกแขก", "ไอ้แขก", "ชาวคริสต์", "คริสเตียน", "ชาวพุทธ",
    "ฮินดู", "ซิกข์", "พวกนอกรีต",
    # peoples
    "พม่า", "เขมร", "คนลาว", "พวกลาว", "ไอ้ลาว", "ญวน", "คนจีน", "พวกจีน", "เจ๊ก", "ไอ้เจ๊ก", "โรฮิงญา",
    "กะเหรี่ยง", "ชาวเขา", "ชาวม้ง", "ชาวมอญ", "คนผิวดำ", "นิโกร", "พวกมืด", "คนอีสาน", "ชาวต่างชาติ",
    "พวกต่างชาติ", "ไอ้ต่างชาติ", "ชาวแอฟริกัน", "ชาวอินเดีย",
    # migrants
    "ต่างด้าว", "ผู้อพยพ", "ผู้ลี้ภัย", "แรงงานข้ามชาติ", "คนเข้าเมืองผิดกฎหมาย",
    # sexualities and gender identities
    "กะเทย", "ตุ๊ด", "เกย์", "เลสเบี้ยน", "คนข้ามเพศ", "สาวประเภทสอง", "รักร่วมเพศ", "แอลจีบีที",
    "พวกเพศที่สาม",
    # disabilities
    "คนพิการ", "ผู้พิการ", "ไอ้ง่อย", "คนง่อย", "ปัญญาอ่อน", "คนตาบอด", "คนหูหนวก", "คนใบ้", "ดาวน์ซินโดรม",
    "คนปัญญาอ่อน",
)  # fmt: skip

# Korean writes particles onto a word: stems matched as a prefix of a token.
KOREAN_STEMS = (
    "유대인", "무슬림", "흑인", "이민자", "게이", "조선족", "난민", "동성애", "장애인", "짱깨", "쪽바리",
    "외국인", "탈북자",
)  # fmt: skip

GROUPS = (
    *FAITHS, *PEOPLES, *MIGRANTS, *SEXUALITIES, *DISABILITIES, *CASTES, *ENGLISH, *ARABIC, *PERSIAN, *URDU,
    *HINDI, *BENGALI, *HEBREW, *GREEK, *UKRAINIAN, *ROMANIAN, *CZECH, *HUNGARIAN, *DUTCH, *SWEDISH, *DANISH,
    *FINNISH, *VIETNAMESE, *TAGALOG, *MALAY,
)  # fmt: skip
