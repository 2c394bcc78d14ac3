"""The hate gate's groups in the languages `groups.py` added in the ninth round, and the scripts they need.

The model's `hate` score blocks only a prompt that names a group (`lexicon.names_target`), so a language whose
groups no list names lets hate prompts through whatever the model says. Each language here has a hostile
sentence about a group, written for this test (not taken from the data), that must name a target, and an
ordinary sentence about the weather that must not.
"""

# ruff: noqa: RUF001

from __future__ import annotations

import pytest

from dreamverse.safety.lexicon import names_target
from dreamverse.safety.text import normalize

# language: (a hostile sentence about a group, a sentence about the weather)
SENTENCES = {
    "arabic": ("اطردوا المهاجرين من بلادنا", "السماء صافية والشمس مشرقة فوق البحر"),
    "persian": ("افغانیها باید از کشور بیرون بروند", "باران آرام روی پشت بام می بارد"),
    "urdu": ("قادیانیوں کو ملک سے نکال دو", "آج آسمان پر بادل ہیں اور ہلکی بارش ہو رہی ہے"),
    "hindi": ("घुसपैठियों को देश से भगाओ", "पहाड़ों पर बर्फ गिर रही है और आसमान साफ है"),
    "bengali": ("রোহিঙ্গাদের দেশ থেকে তাড়িয়ে দাও", "আকাশে মেঘ জমেছে আর বৃষ্টি পড়ছে"),
    "hebrew": ("לגרש את המסתננים מהמדינה", "השמש זורחת מעל הים והשמיים בהירים"),
    "greek": ("οι γύφτοι να φύγουν από τη χώρα", "ο ήλιος λάμπει πάνω από τη θάλασσα"),
    "greek unaccented": ("ΟΙ ΓΥΦΤΟΙ ΝΑ ΦΥΓΟΥΝ", "Ο ΗΛΙΟΣ ΛΑΜΠΕΙ ΠΑΝΩ ΑΠΟ ΤΗ ΘΑΛΑΣΣΑ"),
    "ukrainian": ("виженіть мігрантів з нашого міста", "над містом світить сонце і дме легкий вітер"),
    "romanian": ("afară cu țiganii din oraș", "soarele strălucește peste munți"),
    "romanian cedilla": ("afară cu ţiganii din oraş", "soarele străluceşte peste munţi"),
    "romanian unaccented": ("afara cu tiganii din oras", "soarele straluceste peste munti"),
    "czech": ("vyžeňte uprchlíky ze země", "nad horami svítí slunce a fouká vítr"),
    "hungarian": ("a migránsokat ki kell dobni az országból", "süt a nap a tó felett"),
    "dutch": ("gooi die asielzoekers het land uit", "de zon schijnt boven de zee"),
    "swedish": ("kasta ut alla invandrare ur landet", "solen skiner över sjön och det blåser lite"),
    "danish": ("smid perkerne ud af landet", "solen skinner over havet i dag"),
    "finnish": ("heittäkää maahanmuuttajat ulos maasta", "aurinko paistaa järven yllä"),
    "vietnamese": ("đuổi hết bọn tàu khựa ra khỏi đất nước", "trời nắng đẹp trên biển hôm nay"),
    "thai": ("ไล่พวกต่างด้าวออกไปจากประเทศ", "ฝนตกหนักในกรุงเทพวันนี้"),
    "tagalog": ("palayasin ang mga intsik sa bansa", "maaraw ang panahon sa dalampasigan ngayon"),
    "malay": ("halau semua keling dari negara ini", "cuaca cerah di pantai hari ini"),
}


@pytest.mark.parametrize("language", sorted(SENTENCES))
def test_a_group_is_named_and_the_weather_is_not(language: str) -> None:
    hostile, weather = SENTENCES[language]
    assert names_target(normalize(hostile)), hostile
    assert not names_target(normalize(weather)), weather


@pytest.mark.parametrize(
    ("text", "normalized"),
    [
        ("मुसलमानों को", "मुसलमानों को"),  # Devanagari vowel signs stay in their word
        ("হিন্দুরা নোংরা", "হিন্দুরা নোংরা"),  # Bengali
        ("พวกพม่าเป็น", "พวกพม่าเป็น"),  # Thai tone marks and vowels above and below
        ("اليَهُودُ", "اليهود"),  # Arabic vowel points are optional and dropped
        ("הַמְּהַגְּרִים", "המהגרים"),  # Hebrew points too
        ("العـــرب", "العرب"),  # and the tatweel that stretches an Arabic word
    ],
)
def test_marks_that_spell_a_word_stay_in_it(text: str, normalized: str) -> None:
    assert normalize(text) == normalize(normalized) == normalized
