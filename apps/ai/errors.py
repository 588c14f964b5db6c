"""Errors raised by AI providers: transient ones are worth retrying, permanent ones are not.

They are not API errors (no HTTP status): the design pipeline turns them into a retry or into a
failed design whose reason is `message`.
"""

from django.utils.translation import gettext_lazy as _


class AIError(Exception):
    code = "ai_error"
    message = _("The AI provider could not complete the request.")

    def __init__(self, message: str | None = None, *, code: str | None = None):
        self.message = str(message or self.message)
        self.code = code or self.code
        super().__init__(self.message)


class TransientAIError(AIError):
    """Rate limit, timeout, connection or server error: retry later."""

    code = "provider_unavailable"
    message = _("The AI provider is unavailable for now; try again later.")


class PermanentAIError(AIError):
    """Refused or invalid request (bad input, credentials, model, content policy): do not retry."""

    code = "provider_error"
    message = _("The AI provider refused the request.")
