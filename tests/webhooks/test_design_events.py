"""Designs publish `design.ready` and `design.failed` (apps/designs/services.design_transition)."""

from apps.designs.services import design_create, design_fail
from apps.webhooks.models import WebhookEvent
from tests.support.factories.designs import pipeline_run
from tests.support.factories.products import product_make
from tests.support.factories.webhooks import endpoint_make


def test_a_design_that_becomes_ready_or_fails_is_published(tenant):
    # Given an endpoint subscribed to design events
    endpoint, _secret = endpoint_make(
        "https://hooks.example.com/designs", events=["design.ready", "design.failed"]
    )
    product = product_make()

    # When one design goes through the pipeline and another fails
    ready = pipeline_run(design_create(product=product.pk, prompt="A red fox"))
    failed = design_fail(
        design=design_create(product=product.pk, prompt="A cat"), code="boom", message="Broken"
    )

    # Then each is published once, with its public id, product and previews or error
    events = {event.type: event for event in WebhookEvent.objects.all()}
    assert set(events) == {"design.ready", "design.failed"}
    data = events["design.ready"].payload
    assert (data["id"], data["status"], data["product"]) == (ready.public_id, "ready", product.sku)
    assert data["error"] is None
    assert data["assets"]["front/preview_jpg"].startswith("http")
    failure = events["design.failed"].payload
    assert (failure["id"], failure["status"]) == (failed.public_id, "failed")
    assert failure["error"] == {"code": "boom", "message": "Broken"}
    assert events["design.ready"].deliveries.get().endpoint == endpoint


def test_a_refused_prompt_is_published_as_design_failed(tenant):
    endpoint_make("https://hooks.example.com/designs", events=["design.failed"])

    pipeline_run(design_create(product=product_make().pk, prompt="A gun on a table"))  # moderation refuses it

    data = WebhookEvent.objects.get(type="design.failed").payload
    assert data["status"] == "rejected"
    assert data["error"]["code"] == "moderation_rejected"
    assert data["assets"] == {}
