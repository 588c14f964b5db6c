from django.utils.translation import gettext_lazy as _

from apps.core.errors import ApplicationError


class BrandInvalid(ApplicationError):
    code = "brand_invalid"
    status = 422  # well-formed, but breaks a brand rule (the schema cannot say it)
    message = _("Some brand settings are invalid.")


class BrandNameTaken(ApplicationError):
    code = "brand_name_taken"
    status = 409
    message = _("Another brand already has this name.")
