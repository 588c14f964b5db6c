from django.apps import AppConfig


class CopilotConfig(AppConfig):
    name = "apps.copilot"

    def ready(self) -> None:
        from apps.designs.signals import design_finished
        from apps.orders.signals import order_placed

        from .connectors import receivers

        order_placed.connect(receivers.order_placed, dispatch_uid="copilot.whatsapp.order_placed")
        design_finished.connect(receivers.design_finished, dispatch_uid="copilot.whatsapp.design_finished")
