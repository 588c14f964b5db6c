from django.apps import AppConfig


class CrmConfig(AppConfig):
    name = "apps.crm"

    def ready(self):
        from apps.orders.signals import order_placed

        from . import receivers

        order_placed.connect(receivers.order_placed, dispatch_uid="crm.order_placed")
