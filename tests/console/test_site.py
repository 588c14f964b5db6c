"""The operators' index: Luneo-branded, grouped into the sections operators work in; Stripe's own
models only when Stripe is configured."""

from tests.support.clients import operator_client


def index(client) -> str:
    response = client.get("/admin/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_index_is_branded_and_grouped_by_section(db):
    page = index(operator_client())

    assert "Luneo operators" in page
    assert "Django administration" not in page
    for section in (
        "Workspaces",
        "People",
        "Plans &amp; billing",
        "Workspace records",
        "Jobs &amp; webhooks",
    ):
        assert section in page
    assert page.index("Workspaces") < page.index("People") < page.index("Plans &amp; billing")


def test_stripe_models_are_hidden_until_stripe_is_configured(db, settings):
    client = operator_client()
    settings.STRIPE_TEST_SECRET_KEY = ""
    assert "Stripe (advanced)" not in index(client)

    settings.STRIPE_TEST_SECRET_KEY = "sk_test_" + "x" * 24
    page = index(client)

    assert "Stripe (advanced)" in page
    assert "Not available for global schema" not in page
