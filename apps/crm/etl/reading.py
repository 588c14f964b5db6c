"""Look at a file before importing it: size, text or binary, encoding, delimiter, columns, kind.

The encoding is strict UTF-8 (with or without a byte-order mark) when every byte of the file
reads as UTF-8, else Windows-1252, the encoding of French spreadsheets and ERPs (generic
detectors often call such files cp1250 and garble their accents). The user may override it.
"""

import codecs
import csv
import io
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from .errors import (
    ImportColumnsUnmatched,
    ImportEncodingInvalid,
    ImportFileBinary,
    ImportFileEmpty,
    ImportFileTooLarge,
    ImportMalformed,
)
from .fields import FIELDS, kind_guess, mapping_guess, missing_required

BOM = codecs.BOM_UTF8
CHUNK = 1 << 20
DELIMITERS = (";", ",", "\t", "|")
# Python's name → PostgreSQL's, for the encodings a person may choose.
ENCODINGS = {"utf-8": "UTF8", "cp1252": "WIN1252", "iso-8859-1": "LATIN1", "iso-8859-15": "LATIN9"}
# Files that are not text: spreadsheets, archives, PDFs, images.
MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b")


def max_bytes() -> int:
    return getattr(settings, "CRM_IMPORT_MAX_BYTES", 512 * 1024 * 1024)


@dataclass
class FileShape:
    """What an import will read: where the rows start, how they are written, which column is what."""

    encoding: str  # a key of ENCODINGS
    delimiter: str
    headers: list[str]
    kind: str
    mapping: dict[str, str]  # header → field ("" or absent: ignored)
    start: int = 0  # bytes to skip (a UTF-8 byte-order mark)
    size: int = 0
    notes: list[str] = field(default_factory=list)


def _size(stream) -> int:
    stream.seek(0, io.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    return size


def file_check(stream) -> int:
    """The file's size once it is known to be non-empty text within the limit; raises otherwise."""
    size = _size(stream)
    if size > max_bytes():
        raise ImportFileTooLarge(
            _("The file is too large to import (%(size)d MB, at most %(limit)d MB).")
            % {"size": size // 2**20, "limit": max_bytes() // 2**20},
            details={"size": size, "limit": max_bytes()},
        )
    head = stream.read(64 * 1024)
    stream.seek(0)
    if not head.removeprefix(BOM).strip():
        raise ImportFileEmpty()
    if head.startswith(MAGIC) or b"\x00" in head:
        raise ImportFileBinary()
    controls = sum(1 for byte in head if byte < 32 and byte not in (9, 10, 13))
    if controls > len(head) // 100:
        raise ImportFileBinary()
    return size


def encoding_detect(stream) -> str:
    """`utf-8` when the whole file decodes as strict UTF-8, else `cp1252` when it decodes as that."""
    for encoding in ("utf-8", "cp1252"):
        if _decodes(stream, encoding):
            return encoding
    raise ImportEncodingInvalid()


def _decodes(stream, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    stream.seek(0)
    try:
        while chunk := stream.read(CHUNK):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    finally:
        stream.seek(0)
    return True


def _head_text(stream, encoding: str, limit: int = 256 * 1024) -> tuple[str, int]:
    raw = stream.read(limit)
    stream.seek(0)
    start = len(BOM) if raw.startswith(BOM) else 0
    raw = raw[start:]
    if len(raw) == limit - start:  # cut on the last full line
        raw = raw[: raw.rfind(b"\n") + 1] or raw
    try:
        return raw.decode(encoding, errors="strict"), start
    except UnicodeDecodeError:
        if encoding == "utf-8":  # the limit cut a character: the rest of the line is dropped anyway
            return raw.decode(encoding, errors="ignore"), start
        raise ImportEncodingInvalid() from None


def delimiter_detect(text: str) -> str:
    """The delimiter that splits the header into most columns, with the rows agreeing."""
    lines = text.splitlines()[:20]
    best, best_score = ",", 0
    for delimiter in DELIMITERS:
        try:
            rows = list(csv.reader(lines, delimiter=delimiter))
        except csv.Error:
            continue
        if not rows:
            continue
        width = len(rows[0])
        agreeing = sum(1 for row in rows[1:] if len(row) == width)
        score = (width - 1) * (agreeing + 1) if width > 1 else 0
        if score > best_score:
            best, best_score = delimiter, score
    return best


def rows_read(text: str, delimiter: str, limit: int) -> tuple[list[str], list[list[str]]]:
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        headers = next(reader, [])
        rows = [row for _index, row in zip(range(limit), reader, strict=False)]
    except csv.Error as error:
        raise ImportMalformed(details={"reason": str(error)}) from None
    return [header.strip() for header in headers], rows


def shape_detect(
    stream,
    *,
    kind: str | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    mapping: dict[str, str] | None = None,
    saved: dict[str, str] | None = None,
) -> FileShape:
    """Everything needed to read the file, detected unless given; raises before anything is written.

    `mapping` (the user's) wins over `saved` (the source's saved mapping), which wins over synonyms.
    """
    size = file_check(stream)
    if encoding:
        if encoding not in ENCODINGS or not _decodes(stream, encoding):
            raise ImportEncodingInvalid(details={"encoding": encoding, "choices": list(ENCODINGS)})
    else:
        encoding = encoding_detect(stream)
    text, start = _head_text(stream, encoding)
    if delimiter and delimiter not in DELIMITERS:
        raise ImportMalformed(_("Unknown delimiter."), details={"choices": list(DELIMITERS)})
    delimiter = delimiter or delimiter_detect(text)
    headers, _rows = rows_read(text, delimiter, 0)
    if not any(headers):
        raise ImportFileEmpty()
    chosen = kind or _kind_with(headers, saved, mapping)
    if chosen is None:
        raise ImportColumnsUnmatched(details={"headers": headers})
    guessed = _mapping_with(chosen, headers, saved, mapping)
    known = {f.name for f in FIELDS[chosen]}
    final = {header: name for header, name in guessed.items() if name in known}
    if len(set(final.values())) != len(final):
        raise ImportColumnsUnmatched(
            _("Two columns are mapped to the same field."), details={"mapping": final}
        )
    missing = missing_required(chosen, final)
    if missing:
        raise ImportColumnsUnmatched(
            _("Columns are missing for: %(fields)s.") % {"fields": ", ".join(missing)},
            details={"missing": missing, "headers": headers, "kind": chosen},
        )
    return FileShape(
        encoding=encoding,
        delimiter=delimiter,
        headers=headers,
        kind=chosen,
        mapping=final,
        start=start,
        size=size,
    )


def _mapping_with(kind: str, headers: list[str], *given: dict[str, str] | None) -> dict[str, str]:
    mapping = mapping_guess(kind, headers)
    for one in given:
        mapping.update({header: name for header, name in (one or {}).items() if header in headers})
    return {header: name for header, name in mapping.items() if name}


def _kind_with(headers: list[str], *given: dict[str, str] | None) -> str | None:
    """The kind the headers (and the mappings given) fill best, all its required fields named."""
    if not any(given):
        return kind_guess(headers)
    best, best_score = None, 0
    for kind in FIELDS:
        known = {f.name for f in FIELDS[kind]}
        if any(name and name not in known for one in given for name in (one or {}).values()):
            continue
        mapping = _mapping_with(kind, headers, *given)
        if not missing_required(kind, mapping) and len(mapping) > best_score:
            best, best_score = kind, len(mapping)
    return best
