from django.utils.translation import gettext_lazy as _

from apps.core.errors import ApplicationError


class CatalogInvalid(ApplicationError):
    code = "catalog_invalid"
    status = 422  # well-formed, but breaks a catalog rule (the schema cannot say it)
    message = _("Some fields are invalid.")


class SkuTaken(ApplicationError):
    code = "sku_taken"
    status = 409
    message = _("Another product already has this SKU.")


class NameTaken(ApplicationError):
    code = "name_taken"
    status = 409
    message = _("This product already has one with this name or SKU suffix.")


class PrintAreaInvalid(ApplicationError):
    code = "print_area_invalid"
    status = 422
    message = _("The print area must lie inside the mockup image.")


class InUse(ApplicationError):
    code = "in_use"
    status = 409
    message = _("Designs use this. Archive the product instead of deleting it.")
