"""Signed, expiring tokens for links that need no session: design assets, packs, mockups.

A token signs a short list of values (e.g. schema and id) with SECRET_KEY, a salt per kind of
link and a timestamp. Reading checks the signature, the age and the values' types.
"""

from django.core import signing


def link_token(salt: str, *values) -> str:
    return signing.dumps(list(values), salt=salt, compress=True)


def link_token_read(token: str, *, salt: str, max_age: int, types: tuple[type, ...]) -> tuple | None:
    """The signed values, if the token is valid, younger than `max_age` s and of `types`; else None."""
    try:
        values = signing.loads(token, salt=salt, max_age=max_age)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(values, list) or len(values) != len(types):
        return None
    if not all(
        isinstance(value, kind) and not isinstance(value, bool)
        for value, kind in zip(values, types, strict=True)
    ):
        return None
    return tuple(values)


# Links in e-mails are opened weeks or months later: they are signed with their own salt and live
# this long (the images they show are the brand's products and the recipient's own designs).
LASTING_MAX_AGE = 400 * 24 * 3600


def lasting_salt(salt: str) -> str:
    return f"{salt}.lasting"


def link_token_read_any(token: str, *, salt: str, max_age: int, types: tuple[type, ...]) -> tuple | None:
    """`link_token_read` for a link that is either short-lived (`max_age`) or lasting."""
    return link_token_read(token, salt=salt, max_age=max_age, types=types) or link_token_read(
        token, salt=lasting_salt(salt), max_age=LASTING_MAX_AGE, types=types
    )
