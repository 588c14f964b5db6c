from django.apps import AppConfig


class CopilotConfig(AppConfig):
    name = "apps.copilot"
