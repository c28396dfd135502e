"""Checks of uploaded PDF files, read from their content: a name ending in .pdf proves nothing.

A PDF starts with "%PDF-1.x" or "%PDF-2.0" and ends with a cross-reference pointer ("startxref", a number)
and "%%EOF" near its end; a PNG or a ZIP renamed to .pdf has neither. A file that announces JavaScript
or an action that starts a program (/JavaScript, /JS, /Launch) is refused as well: the administrators
open these files. Names inside a compressed object stream are not seen by this light check; it is a
filter against the wrong file and the plainly hostile one, not a virus scanner.
"""

import re

from django.utils.translation import gettext_lazy as _

HEADER = re.compile(rb"%PDF-(1\.[0-7]|2\.0)")
TAIL_BYTES = 2048  # "%%EOF" may be followed by a little whitespace or an incremental update's padding
ACTIVE = re.compile(rb"/(JavaScript|JS|Launch)\b")
CHUNK = 1024 * 1024


def pdf_problem(upload) -> str | None:
    """Why `upload` (a Django UploadedFile) is no acceptable PDF, in the user's language; None when it is one."""
    upload.seek(0)
    head = upload.read(16)
    if not HEADER.match(head):
        return _("'%(name)s' er ikke en PDF-fil.") % {"name": upload.name}
    upload.seek(max(upload.size - TAIL_BYTES, 0))
    tail = upload.read(TAIL_BYTES)
    if b"%%EOF" not in tail or not re.search(rb"startxref\s+\d+\s+%%EOF", tail):
        return _("'%(name)s' er ikke en hel PDF-fil (den er afbrudt eller beskadiget).") % {"name": upload.name}
    upload.seek(0)
    previous = b""
    while chunk := upload.read(CHUNK):
        if ACTIVE.search(previous[-16:] + chunk):
            return _(
                "'%(name)s' indeholder JavaScript eller en handling, der starter et program. "
                "Gem den som almindelig PDF (fx med 'Udskriv som PDF'), og prøv igen."
            ) % {"name": upload.name}
        previous = chunk
    upload.seek(0)
    return None
