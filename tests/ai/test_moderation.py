"""Word-list moderation (brand words and the offline built-in list) and offline image moderation."""

import pytest
from PIL import Image

from apps.ai.models import AIUsage
from apps.ai.moderation import blocked_words_found
from apps.ai.providers.offline import OfflineProvider


def test_matching_ignores_case_and_accents():
    assert blocked_words_found("Un FUSÍL et un Cafe   Noir", ["fusil", "Café noir"]) == ["fusil", "Café noir"]


def test_matching_is_by_whole_word():
    assert blocked_words_found("The race has begun; a shotgun wedding", ["gun"]) == []
    assert blocked_words_found("a water-gun fight", ["gun"]) == ["gun"]


@pytest.mark.parametrize(
    "text",
    [
        "a b\u200bomb in a box",  # zero-width space
        "a bo\u00admb in a box",  # soft hyphen
        "a b\u200d\u2060omb in a box",  # zero-width joiner, word joiner
        "a b\u043emb in a box",  # Cyrillic о
        "a \u0432\u043e\u043c\u0432 in a box",  # Cyrillic вомв (uppercase ВОМВ, folded)
        "a b\u03bfmb in a box",  # Greek ο
        "a \uff42\uff4f\uff4d\uff42 in a box",  # fullwidth
        "a b o m b in a box",  # spaced out
        "draw a b.o.m.b",
        "b-o-m-b",
        "b_o_m_b!",
        "a b0mb in a box",  # leetspeak
        "a B0MB in a box",
        "B 0 M B",
    ],
)
def test_evasions_of_a_word_are_caught(text):
    assert blocked_words_found(text, ["bomb"]) == ["bomb"]


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("k1ll them all", "kill"),  # 1 for i
        ("ki11 them all", "kill"),  # 1 for l
        ("a $3x scene", "sex"),
        ("pr0n and p0rn", "porn"),
        ("4 n@z1 flag", "nazi"),
        ("7errorist", "terrorist"),
        ("w h i t e p o w e r", "white power"),
        ("white\u200b power", "white power"),
        ("un fu\u0455\u0456l", "fusil"),  # Cyrillic ѕ, і
    ],
)
def test_leetspeak_look_alikes_and_spacing_are_caught(text, word):
    assert blocked_words_found(text, [word]) == [word]


def test_a_blocked_word_written_with_digits_still_matches_itself():
    assert blocked_words_found("Drink 7up, not cola", ["7up"]) == ["7up"]


@pytest.mark.parametrize(
    "text",
    [
        "Scunthorpe United at Essex",  # blocked words inside longer words
        "A bomber jacket and a begun race",
        "Un renard roux dans une forêt brumeuse, style aquarelle",
        "Un gâteau très sucré pour l'été, façon pâtissière",
        "一只在雾蒙蒙的森林里的红狐狸，水彩风格",
        "山の上の猫、浮世絵風",
        "Mug 330ml, 2024 edition, 4 colours, 100% cotton",
        "Initials J. R. R. on a mug",
        "go re do it",  # blocked word "gore" across real words
    ],
)
def test_legitimate_prompts_in_english_french_chinese_and_japanese_pass(text):
    assert blocked_words_found(text, ["bomb", "gun", "cunt", "sex", "gore", "kill", "nazi"]) == []


def test_a_chinese_blocked_word_matches_inside_a_chinese_sentence():
    assert blocked_words_found("我想要一个炸弹的图案", ["炸弹"]) == ["炸弹"]
    assert blocked_words_found("一只可爱的小猫", ["炸弹"]) == []


def test_empty_and_duplicate_words_are_ignored():
    assert blocked_words_found("red red rose", ["", "  ", "rose", "rose"]) == ["rose"]


def test_offline_flags_brand_words_and_builtin_terms(tenant):
    text = "A NAKED cowboy drinking Pepsi"

    moderation = OfflineProvider().moderate_text(text=text, blocked_words=["pepsi"])

    assert moderation.flagged is True
    assert moderation.reasons == ["blocked word: pepsi", "blocked word: naked"]
    assert AIUsage.objects.get().operation == "text.moderate"


def test_offline_passes_an_ordinary_prompt(tenant):
    text = "Un renard dans une forêt brumeuse"

    moderation = OfflineProvider().moderate_text(text=text, blocked_words=["gun"])

    assert moderation.flagged is False
    assert moderation.reasons == []


def test_offline_image_moderation_passes_and_says_it_did_not_look(tenant):
    moderation = OfflineProvider(design_id=5).moderate_image(image=Image.new("RGB", (10, 10)))

    assert moderation.flagged is False
    assert moderation.meta["checked"] is False
    usage = AIUsage.objects.get()
    assert (usage.operation, usage.design_id, usage.ok) == ("image.moderate", 5, True)
