from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "apps.orders"

    def ready(self) -> None:
        from apps.designs.signals import design_reprinted

        from . import receivers

        design_reprinted.connect(receivers.design_reprinted, dispatch_uid="orders.design_reprinted")
