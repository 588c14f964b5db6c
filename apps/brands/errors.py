from django.utils.translation import gettext_lazy as _

from apps.core.errors import ApplicationError


class BrandInvalid(ApplicationError):
    code = "brand_invalid"
    status = 400
    message = _("Some brand settings are invalid.")


class BrandNameTaken(ApplicationError):
    code = "brand_name_taken"
    status = 409
    message = _("Another brand already has this name.")
