"""The CRM's answers to what lower apps announce (connected in CrmConfig.ready)."""

from .services import order_attach


def order_placed(sender, *, order, **kwargs) -> None:
    order_attach(order=order)
