"""The copilot's confirmed reprint: a customer's typo on an ordered design is proposed as a card
with the design before and after; only the confirmation corrects the text, draws the print files
again and, once they are drawn, rebuilds the order's production pack with them. Refused (no card,
nothing changed) when the order's designs lack the wrong text or the right one is not allowed; a
viewer cannot confirm; a second confirmation does nothing. Tasks run at once in this process
(Celery eager, commit callbacks run); OpenAI is a local fake at the HTTP level."""

import io
import zipfile

import pytest
from django.test import Client
from django.utils import timezone
from PIL import Image

from apps.brands.services import brand_update
from apps.copilot.actions import ACTIONS
from apps.copilot.engine import ActionDecided, action_confirm, ask, conversation_start, member_asker
from apps.copilot.models import EmailThread, PendingAction
from apps.copilot.selectors import conversation_messages
from apps.core.errors import PermissionDenied, ValidationFailed
from apps.designs.errors import TextLayersNotAllowed
from apps.designs.models import Design, DesignAsset, DesignCorrection
from apps.orders.models import Order
from apps.orders.pack import order_pack_request
from apps.orders.tasks import order_pack_build_task
from apps.tenants.models import Role
from config.celery import app as celery_app
from tests.support.clients import dashboard_client
from tests.support.factories.brands import brand_make
from tests.support.factories.designs import ready_design
from tests.support.factories.orders import order_make
from tests.support.factories.products import product_make
from tests.support.fakes.openai import moderation_reply, stream_reply, tool_reply
from tests.support.workspaces import host, member

FIX = {"wrong": "John & Ana", "right": "Jon & Ana"}


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def eagerly(monkeypatch):
    """Tasks queued run at once, here, and their errors propagate."""
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    monkeypatch.setitem(celery_app.conf, "task_eager_propagates", True)


@pytest.fixture
def brand(tenant):
    return brand_make()


@pytest.fixture
def order(brand) -> Order:
    """A paid-for order of a mug whose label says “John & Ana”, its pack built."""
    design = ready_design(product_make(brand=brand), text_layers=[{"text": "John & Ana", "size": 0.15}])
    order = order_make(design)
    order_pack_request(order=order)
    order_pack_build_task.apply(args=[order.pk])
    order.refresh_from_db()
    assert order.pack_status == Order.PackStatus.READY
    return order


def design_of(order: Order) -> Design:
    return Design.objects.get(order_items__order=order)


def print_png(design: Design) -> bytes:
    with design.assets.get(view__name="front", kind=DesignAsset.Kind.PRINT_PNG).file.open("rb") as file:
        return file.read()


def pack_png(order: Order) -> bytes:
    with order.pack.open("rb") as file:
        archive = zipfile.ZipFile(io.BytesIO(file.read()))
    [name] = [name for name in archive.namelist() if name.endswith("/front.png")]
    return archive.read(name)


def proposed(tenant, request, order: Order, arguments=None, *, moderation=None):
    """An editor asks; the copilot (a fake OpenAI, set up only now: the design was made offline)
    proposes the reprint. `moderation`: what the moderation of the new text answers."""
    fake_openai = request.getfixturevalue("fake_openai")
    who = member_asker(member(tenant, Role.EDITOR), Role.EDITOR)
    arguments = {"order": order.reference, **FIX, **(arguments or {})}
    moderation = moderation or moderation_reply()
    fake_openai.script(  # the card is described for the model, then for the person: moderated each time
        tool_reply("propose_reprint_corrected_design", arguments),
        moderation,
        stream_reply("Confirm below."),
        moderation,
    )
    return who, ask(conversation_start(who), who, "typo on my label: it should say “Jon & Ana”")


def test_a_confirmed_reprint_corrects_the_design_and_rebuilds_the_pack_with_it(
    tenant, order, request, eagerly, django_capture_on_commit_callbacks
):
    design = design_of(order)
    before_print, before_pack = print_png(design), pack_png(order)
    who, answer = proposed(tenant, request, order)

    # The card names the order, the design and the change, and shows the design before and after
    [action] = answer.actions
    assert action.kind == "reprint_corrected_design"
    assert order.reference in action.card
    assert design.public_id in action.card
    assert "“John & Ana” becomes “Jon & Ana”" in action.card.replace("\\&", "&")
    [message] = [m for m in conversation_messages(answer.conversation) if m.pk == answer.message.pk]
    [shown] = message.actions.all()
    assert [image["label"] for image in shown.images] == ["Before", "After"]
    after = Client(HTTP_HOST=host(tenant)).get(shown.images[1]["url"])
    assert (after.status_code, after["Content-Type"]) == (200, "image/png")
    assert Image.open(io.BytesIO(after.content)).format == "PNG"
    assert design_of(order).text_layers[0]["text"] == "John & Ana"  # nothing changed yet

    # When the brand member confirms (the composite and export run, then the pack's build)
    with django_capture_on_commit_callbacks(execute=True):
        done = action_confirm(action, who)

    # Then the text, the print files and the pack are the corrected ones
    assert done.status == PendingAction.Status.DONE, done.result
    assert done.result_url == f"/orders/{order.number}/"
    design = design_of(order)
    assert (design.status, design.text_layers[0]["text"]) == ("ready", "Jon & Ana")
    assert print_png(design) != before_print
    order.refresh_from_db()
    assert order.pack_status == Order.PackStatus.READY
    assert pack_png(order) == print_png(design) != before_pack
    [correction] = DesignCorrection.objects.all()
    assert (correction.created_by, correction.reprinted_at is not None) == (who.user_id, True)

    # A second confirmation, or a second proposal of the same fix, corrects nothing more
    with pytest.raises(ActionDecided):
        action_confirm(action, who)
    with pytest.raises(ValidationFailed):
        ACTIONS["reprint_corrected_design"].describe({"order": order.reference, **FIX})
    assert DesignCorrection.objects.count() == 1
    assert [
        image
        for m in conversation_messages(answer.conversation)
        for a in m.actions.all()
        for image in a.images
    ] == []


def test_a_wrong_text_not_on_the_orders_designs_is_refused_and_nothing_changes(tenant, order, request):
    _who, answer = proposed(tenant, request, order, {"wrong": "Jhon"})

    assert answer.actions == []
    assert f"No design of order {order.reference} has the text “Jhon”." in answer.message.text
    assert design_of(order).text_layers[0]["text"] == "John & Ana"
    assert not DesignCorrection.objects.exists()


def test_text_the_moderation_refuses_gets_no_card_and_changes_nothing(tenant, order, request):
    who, answer = proposed(
        tenant, request, order, {"right": "Jon & Ana"}, moderation=moderation_reply("hate")
    )

    assert answer.actions == []
    assert "This text is not allowed on this product." in answer.message.text
    assert design_of(order).text_layers[0]["text"] == "John & Ana"
    assert not DesignCorrection.objects.exists()


def test_the_brands_rules_are_checked_again_at_confirmation(tenant, order, brand, request):
    who, answer = proposed(tenant, request, order)
    brand_update(brand=brand, allow_text_layers=False)  # changed since the card was proposed

    done = action_confirm(answer.actions[0], who)

    assert done.status == PendingAction.Status.FAILED
    assert done.result == str(TextLayersNotAllowed.message)
    assert (design_of(order).status, design_of(order).text_layers[0]["text"]) == ("ready", "John & Ana")
    assert not DesignCorrection.objects.exists()


def test_a_viewer_cannot_confirm_a_reprint(tenant, order, request):
    _editor, answer = proposed(tenant, request, order)
    viewer = member_asker(member(tenant, Role.VIEWER), Role.VIEWER)

    with pytest.raises(PermissionDenied):
        action_confirm(answer.actions[0], viewer)

    assert PendingAction.objects.get().status == PendingAction.Status.PROPOSED
    assert design_of(order).text_layers[0]["text"] == "John & Ana"
    assert not DesignCorrection.objects.exists()


# --- offline, and from a customer's e-mail --------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "Reprint order {ref}: “Jon & Ana” instead of “John & Ana”",
        "Réimprime la commande {ref} : « Jon & Ana » au lieu de « John & Ana »",
        "重印订单 {ref}：应该是“Jon & Ana”而不是“John & Ana”",
    ],
)
def test_the_offline_copilot_proposes_a_reprint_in_three_languages(tenant, order, question):
    who = member_asker(member(tenant, Role.EDITOR), Role.EDITOR)

    answer = ask(None, who, question.format(ref=order.reference))

    [action] = answer.actions
    assert action.kind == "reprint_corrected_design"
    assert action.arguments == {"order": f"{order.number:06d}", **FIX}
    assert design_of(order).text_layers[0]["text"] == "John & Ana"  # nothing done before the click


def test_a_customers_email_asking_for_a_fix_becomes_a_reprint_card(tenant, order):
    thread = EmailThread.objects.create(
        gmail_id="c1",
        sender="ada@example.com",
        subject="Typo on my label",
        received_at=timezone.now(),
        label=EmailThread.Label.COMPLAINT,
        summary="The label says John & Ana.",
        provider="offline",
        order_number=order.number,
        correction=FIX,
    )
    editor = dashboard_client(tenant, member(tenant, Role.EDITOR))
    assert "Propose a corrected reprint" in editor.get(f"/copilot/inbox/{thread.pk}/").content.decode()

    response = editor.post(f"/copilot/inbox/{thread.pk}/reprint/")

    [action] = PendingAction.objects.all()
    assert response["Location"] == f"/copilot/{action.message.conversation_id}/"
    assert (action.kind, action.arguments) == ("reprint_corrected_design", {"order": order.reference, **FIX})
    assert "ada@example.com" in action.message.conversation.messages.first().text
    assert design_of(order).text_layers[0]["text"] == "John & Ana"
    viewer = dashboard_client(tenant, member(tenant, Role.VIEWER))
    assert viewer.post(f"/copilot/inbox/{thread.pk}/reprint/").status_code == 403
