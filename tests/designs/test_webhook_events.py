"""A design that ends publishes a webhook event to the endpoints that subscribed to it."""

from apps.designs.services import design_create
from apps.webhooks.models import WebhookEvent
from apps.webhooks.services import endpoint_create

from .conftest import pipeline_run, product_make


def test_a_ready_design_publishes_design_ready_with_signed_asset_links(tenant):
    endpoint, _secret = endpoint_create(url="http://127.0.0.1:9/hooks", events=["design.ready"])
    design = design_create(product=product_make().pk, prompt="A fox in the snow")

    pipeline_run(design)

    event = WebhookEvent.objects.get(type="design.ready")
    assert event.payload["id"] == design.public_id
    assert event.payload["status"] == "ready"
    assert event.payload["error"] is None
    assert event.payload["assets"]["glb"].startswith("http://localhost")
    assert "/designs/assets/" in event.payload["assets"]["front/print_png"]
    assert event.deliveries.get().endpoint == endpoint


def test_a_refused_prompt_publishes_design_failed(tenant):
    endpoint_create(url="http://127.0.0.1:9/hooks", events=["design.failed"])
    design = design_create(product=product_make().pk, prompt="A gun on a table")  # moderation refuses it

    pipeline_run(design)

    event = WebhookEvent.objects.get(type="design.failed")
    assert event.payload["status"] == "rejected"
    assert event.payload["error"]["code"] == "moderation_rejected"
    assert event.payload["assets"] == {}
