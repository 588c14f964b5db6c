"""Why a file cannot be imported at all: said before anything is written."""

from django.utils.translation import gettext_lazy as _

from apps.core.errors import ApplicationError


class ImportFileEmpty(ApplicationError):
    code = "import_file_empty"
    status = 422
    message = _("The file is empty: export it again with a header line and at least one row.")


class ImportFileBinary(ApplicationError):
    code = "import_file_binary"
    status = 422
    message = _("The file is not a CSV text file (a spreadsheet or a binary file?): save it as CSV.")


class ImportFileTooLarge(ApplicationError):
    code = "import_file_too_large"
    status = 413
    message = _("The file is too large to import.")


class ImportEncodingInvalid(ApplicationError):
    code = "import_encoding_invalid"
    status = 422
    message = _("The file cannot be read with this encoding: choose another one.")


class ImportColumnsUnmatched(ApplicationError):
    code = "import_columns_unmatched"
    status = 422
    message = _("The file's columns match no kind of import: map them to fields, or check the file.")


class ImportMalformed(ApplicationError):
    code = "import_file_malformed"
    status = 422
    message = _("The file could not be read as CSV.")
