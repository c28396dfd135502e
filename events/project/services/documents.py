"""The follow-up group's meeting documents: the name a download is given."""

from django.utils.text import slugify

from events.project.models import MeetingDocument


def download_name(document: MeetingDocument) -> str:
    """The document's title as a file name, with the stored file's suffix (the uploaded name is never kept)."""
    suffix = document.file.name.rsplit(".", 1)[-1] if "." in document.file.name else ""
    return f"{slugify(document.title) or 'dokument'}.{suffix}".rstrip(".")
