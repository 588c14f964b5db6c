from django.utils.translation import gettext_lazy as _

from apps.core.errors import ApplicationError


class InvalidSlug(ApplicationError):
    code = "invalid_slug"
    status = 400
    message = _("This workspace address is not allowed.")


class SlugTaken(ApplicationError):
    code = "slug_taken"
    status = 409
    message = _("This workspace address is already taken.")


class InvalidScope(ApplicationError):
    code = "invalid_scope"
    status = 400
    message = _("Unknown scope.")


class LastOwner(ApplicationError):
    code = "last_owner"
    status = 409
    message = _("A workspace needs at least one owner.")


class RoleNotAllowed(ApplicationError):
    code = "role_not_allowed"
    status = 403
    message = _("Only an owner can grant or change the owner role.")


class AppearanceInvalid(ApplicationError):
    code = "appearance_invalid"
    status = 422
    message = _("Some fields are invalid.")
