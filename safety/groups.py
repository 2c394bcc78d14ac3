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
    "masjid", "gereja", "yahudi", "musalman", "musalmaan", "musalmano", "mulle", "mulla", "katua", "isai",
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

# Korean writes particles onto a word: stems matched as a prefix of a token.
KOREAN_STEMS = (
    "유대인", "무슬림", "흑인", "이민자", "게이", "조선족", "난민", "동성애", "장애인", "짱깨", "쪽바리",
    "외국인", "탈북자",
)  # fmt: skip

GROUPS = (*FAITHS, *PEOPLES, *MIGRANTS, *SEXUALITIES, *DISABILITIES, *CASTES, *ENGLISH)
