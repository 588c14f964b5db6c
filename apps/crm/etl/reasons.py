"""Why a row was not loaded (rejections) or was loaded with a change (warnings). Exact names: the
API, the CLI's JSON and the downloads use them."""

from django.utils.translation import gettext_lazy as _

# Rejected rows, in the order they are checked (a row gets the first that applies).
DUPLICATE_ROW = "duplicate_row"  # an exact repeat of a line already in the file, skipped
MISSING_KEY = "missing_key"  # no client code, article or document number
INVALID_DATE = "invalid_date"
INVALID_NUMBER = "invalid_number"
UNKNOWN_CUSTOMER = "unknown_customer"  # a sales line whose client code is no customer
UNKNOWN_PRODUCT = "unknown_product"  # a sales line whose article is not in the catalogue

# Warnings: the row is loaded.
INVALID_EMAIL = "invalid_email"  # loaded without the e-mail
POSTAL_CODE_FIXED = "postal_code_fixed"  # a French postal code restored to 5 digits
PHONE_UNPARSED = "phone_unparsed"  # kept as written

REJECTIONS = (DUPLICATE_ROW, MISSING_KEY, INVALID_DATE, INVALID_NUMBER, UNKNOWN_CUSTOMER, UNKNOWN_PRODUCT)
WARNINGS = (INVALID_EMAIL, POSTAL_CODE_FIXED, PHONE_UNPARSED)

LABELS = {
    DUPLICATE_ROW: _("Repeated line"),
    MISSING_KEY: _("Missing key"),
    INVALID_DATE: _("Invalid date"),
    INVALID_NUMBER: _("Invalid number"),
    UNKNOWN_CUSTOMER: _("Unknown customer"),
    UNKNOWN_PRODUCT: _("Unknown product"),
    INVALID_EMAIL: _("Invalid e-mail, left out"),
    POSTAL_CODE_FIXED: _("Postal code restored to 5 digits"),
    PHONE_UNPARSED: _("Phone number not understood, kept as written"),
}
