"""Word-list moderation (brand words and the offline built-in list) and offline image moderation."""

from PIL import Image

from apps.ai.models import AIUsage
from apps.ai.moderation import blocked_words_found
from apps.ai.providers.offline import OfflineProvider


def test_matching_ignores_case_and_accents():
    assert blocked_words_found("Un FUSÍL et un Cafe   Noir", ["fusil", "Café noir"]) == ["fusil", "Café noir"]


def test_matching_is_by_whole_word():
    assert blocked_words_found("The race has begun; a shotgun wedding", ["gun"]) == []
    assert blocked_words_found("a water-gun fight", ["gun"]) == ["gun"]


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
