"""The first steps, the embed snippet and the no-brand notice in French and Simplified Chinese."""

import pytest
from django.conf import settings
from django.utils import translation

from apps.brands.services import brand_create, brand_publishable_key_create
from apps.tenants.models import Role
from tests.support.factories.products import ProductFactory


@pytest.fixture(autouse=True)
def _default_language_afterwards():
    """The test client leaves the last page's language active in this thread: put English back."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.mark.parametrize(
    ("language", "strings"),
    [
        (
            "fr",
            [
                "Premiers pas",
                "Créer une marque",
                "0 étape(s) sur 6 terminée(s)",
                "Votre espace de travail n’a pas encore de marque.",
            ],
        ),
        ("zh-hans", ["开始使用", "创建品牌", "已完成 0 / 6 步", "你的工作区还没有品牌。"]),
    ],
)
def test_a_new_workspace_reads_its_first_steps_in_its_language(as_role, language, strings):
    client = as_role(Role.OWNER)
    client.post("/i18n/language/", {"language": language, "next": "/"})

    text = client.get("/").text + client.get("/products/new/").text

    for string in strings:
        assert string in text


@pytest.mark.parametrize(
    ("language", "strings"),
    [
        (
            "fr",
            [
                "Intégrer ce produit",
                "Extrait d’intégration",
                "Copier l’extrait",
                "Clé publiable et extrait d’intégration",
            ],
        ),
        ("zh-hans", ["嵌入此产品", "嵌入代码片段", "复制代码片段", "可公开密钥和嵌入代码片段"]),
    ],
)
def test_the_embed_snippet_pages_read_in_the_language(as_role, language, strings):
    brand = brand_create(name="Acme")
    brand_publishable_key_create(brand=brand)
    product = ProductFactory(brand=brand)
    client = as_role(Role.OWNER)
    client.post("/i18n/language/", {"language": language, "next": "/"})

    text = client.get(f"/products/{product.pk}/").text + client.get(f"/settings/brands/{brand.pk}/").text

    for string in strings:
        assert string in text
