"""What moderation found, told to people: shoppers in their language and never the blocked word;
staff with the word; OpenAI's categories and the providers by translated labels, not keys."""

import pytest
from django.utils import translation

from apps.ai.moderation import BLOCKED_WORD, Finding, category_label, finding_labels, moderation_message
from apps.ai.providers import get_provider, provider_label
from apps.ai.providers.offline import OfflineProvider
from apps.ai.styles import style_label
from tests.support.fakes.openai import moderation_reply


def test_offline_moderation_reports_each_blocked_word_as_a_finding(tenant):
    moderation = OfflineProvider().moderate_text(text="A gore scene with Pepsi", blocked_words=["pepsi"])

    assert moderation.findings == [Finding(BLOCKED_WORD, "pepsi"), Finding(BLOCKED_WORD, "gore")]
    assert [finding.as_dict() for finding in moderation.findings][0] == {
        "code": "blocked_word",
        "word": "pepsi",
    }


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Your text contains a word this brand does not allow."),
        ("fr", "Votre texte contient un mot que cette marque n’autorise pas."),
        ("zh-hans", "您的文字包含该品牌不允许使用的词语。"),
    ],
)
def test_the_shopper_is_told_in_their_language_without_the_word(language, expected):
    findings = [{"code": BLOCKED_WORD, "word": "gore"}]

    with translation.override(language):
        message = moderation_message(findings)
        staff = finding_labels(findings)

    assert message == expected
    assert "gore" not in message
    assert "gore" in staff[0]  # the brand's staff still see which word


def test_openai_categories_are_translated_labels_for_everyone(tenant, fake_openai):
    fake_openai.script(moderation_reply("violence", "hate/threatening"))
    moderation = get_provider("openai").moderate_text(text="something hateful", blocked_words=["zorg"])

    with translation.override("fr"):
        message = moderation_message(moderation.findings)
        labels = finding_labels(moderation.findings)

    assert {finding.code for finding in moderation.findings} == {"violence", "hate/threatening"}
    flagged = "Cette demande ne peut pas être imprimée\u00a0: elle a été signalée pour"
    assert message == f"{flagged} haine menaçante, violence."
    assert labels == ["haine menaçante", "violence"]
    assert "hate/threatening" not in message


def test_an_unknown_category_is_named_without_its_key():
    with translation.override("zh-hans"):
        assert category_label("weapons/new") == "审核不允许的内容"
        assert category_label("violence") == "暴力"


def test_nothing_found_still_gives_a_translated_reason():
    with translation.override("fr"):
        assert (
            moderation_message([])
            == "Cette demande ne peut pas être imprimée. Essayez une autre description."
        )


@pytest.mark.parametrize(
    ("language", "offline", "watercolor"),
    [
        ("en", "offline generator", "Watercolour"),
        ("fr", "générateur hors ligne", "Aquarelle"),
        ("zh-hans", "离线生成器", "水彩"),
    ],
)
def test_providers_and_styles_have_labels_in_each_language(language, offline, watercolor):
    with translation.override(language):
        assert provider_label("offline") == offline
        assert provider_label("something-new") not in ("something-new", "")
        assert style_label("watercolor") == watercolor
        assert style_label("retired-style") == "retired-style"  # a preset no longer offered
