"""The pool's files: stored under a random name (mode 0600, FILE_UPLOAD_PERMISSIONS) with their checksum,
and served only after the stored bytes are checked again against it."""

import hashlib

from django.core.files.base import ContentFile

from investments.pool.models import Application, Attachment, FollowUp

PDF_TYPE = "application/pdf"


def store(upload, application: Application, follow_up: FollowUp | None = None) -> Attachment:
    """Save an upload that the form has checked to be a PDF (portal.uploads.pdf_problem)."""
    upload.seek(0)
    content = upload.read()
    attachment = Attachment(
        application=application,
        follow_up=follow_up,
        original_name=upload.name[:200],
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content_type=PDF_TYPE,
    )
    attachment.file.save(upload.name, ContentFile(content), save=False)
    attachment.save()
    return attachment


def read_checked(attachment: Attachment) -> bytes | None:
    """The stored bytes, or None when they are missing or not what was uploaded (checksum, PDF header)."""
    try:
        with attachment.file.open("rb") as handle:
            content = handle.read()
    except FileNotFoundError:
        return None
    if hashlib.sha256(content).hexdigest() != attachment.sha256 or not content.startswith(b"%PDF-"):
        return None
    return content
