"""What orders answer from the apps below: a corrected design drawn again rebuilds the packs that
hold it (connected in apps/orders/apps.py)."""

from .models import Order
from .pack import order_pack_request
from .selectors import orders_holding


def design_reprinted(sender, *, design, **kwargs) -> None:
    """A design orders hold was corrected and its print files are drawn anew (we are inside the
    transaction that makes it ready, after its export step): each of those orders whose pack was
    asked for rebuilds it, queued after commit, so the zip takes the new print files. A pack never
    asked for is left alone: it is built from the current files when the order is paid."""
    for order in orders_holding(design).exclude(pack_status=Order.PackStatus.NONE):
        order_pack_request(order=order)
