"""Reading and writing PO files exactly as GNU msgcat (gettext 0.21) lays them out, atomically.

The data model is polib's (``POFile`` of ``POEntry``). The two directions want different
things, so each has its own module and this one is the public face of both:

- reading (``l10n.poread``) is strict and fast: whatever msgfmt rejects is an error with file
  and line, and files already in msgcat's layout are read one regex match per entry;
- writing (``l10n.powrite``) is exact: polib's ``save()`` wraps differently from gettext (see
  NOTES.md), so ``format_catalog`` reproduces gettext's ``write-po.c`` (79-column pages,
  strings broken where libunistring's line breaking allows, references filled to the width,
  flags in gettext's canonical order).

Other modules import only the functions below.
"""

from __future__ import annotations

import gc
from pathlib import Path

import polib

from l10n.atomic import replace_bytes, write_text_atomic
from l10n.errors import CatalogChanged, CatalogError, decode_utf8
from l10n.linebreak import breaker
from l10n.poread import _Reader, check_charset
from l10n.powrite import msgcat_text
from l10n.state import MISSING, digest


def parse_catalog(text: str, path: str) -> polib.POFile:
    """Parse the text of a PO or POT file. ``path`` is only used in error messages.

    Raises CatalogError (with path and line, worded like msgfmt's messages) on any syntax error
    msgfmt rejects (a string without its closing quote, an unknown keyword, text after a
    string, a msgstr without msgid, a msgid_plural without msgstr[0], an invalid escape, ...),
    on a header that declares a charset other than UTF-8, and on two entries with the same
    msgctxt and msgid.

    Entries are real ``polib.POEntry`` objects with every field polib fills, except that
    ``linenum`` is the line of the entry's ``msgid`` keyword (polib gives the entry's first
    line), ``#~|`` previous strings of obsolete entries are kept (polib drops them), and
    comment text is kept as gettext keeps it (trailing spaces, empty ``#.`` lines). Comments
    before the first entry go to ``catalog.header`` only when that entry is the header.
    """
    text = text.removeprefix("\ufeff")
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    collecting = gc.isenabled()
    gc.disable()  # the reader only allocates; collecting as it goes costs a quarter of its time
    try:
        reader = _Reader(path)
        if not reader.read_fast(text if text.endswith("\n") else text + "\n"):
            reader = _Reader(path)  # start again, line by line
            reader.read_lines(text)
    finally:
        if collecting:
            gc.enable()
    catalog = reader.catalog()
    check_charset(catalog, text, path)
    return catalog


def read_catalog(path: Path, display: str | None = None) -> polib.POFile:
    """Read a PO or POT file (UTF-8). ``display`` is the path shown in errors (default: path)."""
    return read_catalog_seen(path, display)[0]


def read_catalog_seen(path: Path, display: str | None = None) -> tuple[polib.POFile, str]:
    """``read_catalog``, and the digest of the bytes it read: the ``seen`` that
    ``write_catalog_over`` needs to write the catalog back only over those very bytes."""
    where = display if display is not None else str(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise CatalogError(f"cannot read the catalog: {error.strerror}", path=where) from None
    catalog = parse_catalog(catalog_text(data, where), where)
    catalog.fpath = str(path)
    return catalog, digest(data)


def catalog_text(data: bytes, where: str) -> str:
    """A PO file's bytes as text (a byte-order mark dropped, line ends as they are), or
    CatalogError naming the line of the first byte that is not UTF-8."""
    return decode_utf8(data, path=where, error=CatalogError, message="not valid UTF-8",
                       hint="convert the file with `msgconv -t UTF-8`")


def format_catalog(catalog: polib.POFile) -> str:
    """The text of the catalog as a PO file, byte for byte what ``msgcat`` writes for it.

    Like msgcat: obsolete entries come last and are dropped when untranslated; ``fuzzy`` is
    dropped from untranslated entries; flags gettext does not know are dropped; duplicate
    references are merged.
    """
    return msgcat_text(catalog, breaker())


def write_catalog(catalog: polib.POFile, path: Path) -> bool:
    """Write the catalog to ``path`` atomically in msgcat's layout.

    Returns False, leaving the file (and its mtime) alone, when it already holds these bytes.
    """
    return write_text_atomic(path, format_catalog(catalog))


def write_catalog_over(path: Path, text: str, *, seen: str, shown: str,
                       hint: str) -> tuple[bool, str]:
    """Write a catalog's ``text`` atomically, but only over the bytes l10n read: ``seen`` is
    their ``file_digest``, taken before reading. If the file holds anything else now, someone
    changed it meanwhile: CatalogChanged (with ``hint``), and nothing is written. Returns whether
    the file was written and the digest of what it holds now, the ``seen`` of the next write."""
    try:
        current: bytes | None = path.read_bytes()
    except FileNotFoundError:
        current = None
    if (MISSING if current is None else digest(current)) != seen:
        raise changed_on_disk(shown, hint)
    data = text.encode("utf-8")
    if current != data:
        replace_bytes(path, data)
    return current != data, digest(data)


def changed_on_disk(shown: str, hint: str) -> CatalogChanged:
    """The error for a catalog that changed on disk while l10n had it open."""
    return CatalogChanged("changed on disk while l10n had it open; not written over",
                          path=shown, hint=hint)
