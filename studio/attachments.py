"""Private attachments: every upload is checked before anything is stored.

A file's type is what its first bytes say it is, and that must agree with the type
the browser declared for it: a renamed executable is refused as firmly as an
oversized video. Files are stored privately and served only by
`studio:attachment-download`, which checks access to the object they belong to.
"""

import mimetypes
import os
import re
import zipfile

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .models import Attachment, User

SNIFF_BYTES = 2048

# Office documents are ZIP archives; the folder inside tells which kind.
OFFICE_FOLDERS = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "word/",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xl/",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "ppt/",
}
# Atoms that open an ISO media (MP4, QuickTime) file.
MEDIA_ATOMS = (b"ftyp", b"moov", b"mdat", b"wide", b"free", b"skip")
# Browsers send this when they do not know; the file name decides then.
UNKNOWN_TYPES = {"", "application/octet-stream"}


# What makes an SVG active: scripts, event handlers, embedded documents, script URLs and the
# XML declarations that could hide them. Such a drawing is refused, even though files are
# served as attachments: it must never run in the site's origin if opened some other way.
SVG_ACTIVE = re.compile(
    rb"<\s*(?:[a-z]+:)?(?:script|foreignobject|iframe|embed|object|handler|listener)\b"
    rb"|<[^<>]*?\son[a-z]+\s*="
    rb"|(?:java|vb)script"
    rb"|<!\s*(?:entity|doctype)"
    rb"|href\s*=\s*[\"']?\s*data:",
    re.IGNORECASE,
)


def _svg_is_active(uploaded_file: UploadedFile) -> bool:
    uploaded_file.seek(0)
    try:
        return SVG_ACTIVE.search(uploaded_file.read(settings.ATTACHMENT_MAX_BYTES)) is not None
    finally:
        uploaded_file.seek(0)


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # The sample may end in the middle of a multi-byte character.
        return error.start >= len(head) - 3 and error.reason == "unexpected end of data"
    return True


def _sniffed_types(head: bytes) -> set[str]:
    """The types the first bytes of a file are consistent with."""
    if head.startswith(b"%PDF-"):
        return {"application/pdf"}
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return {"image/png"}
    if head.startswith(b"\xff\xd8\xff"):
        return {"image/jpeg"}
    if head.startswith((b"GIF87a", b"GIF89a")):
        return {"image/gif"}
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return {"image/webp"}
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return {"application/zip", *OFFICE_FOLDERS}
    if _is_text(head):
        types = {"text/plain", "text/csv"}
        if b"<svg" in head.lower():
            types.add("image/svg+xml")
        return types
    # Checked after text: a media file's first box size holds zero bytes, text never does.
    if head[4:8] in MEDIA_ATOMS:
        return {"video/mp4", "video/quicktime"}
    return set()


def _office_folder_present(uploaded_file: UploadedFile, folder: str) -> bool:
    try:
        with zipfile.ZipFile(uploaded_file) as archive:
            names = archive.namelist()
    except zipfile.BadZipFile:
        return False
    finally:
        uploaded_file.seek(0)
    return "[Content_Types].xml" in names and any(name.startswith(folder) for name in names)


def _declared_type(uploaded_file: UploadedFile) -> str:
    declared = (getattr(uploaded_file, "content_type", "") or "").split(";")[0].strip().lower()
    if declared in UNKNOWN_TYPES:
        declared = (mimetypes.guess_type(uploaded_file.name or "")[0] or "").lower()
    return declared


def attachment_check(uploaded_file: UploadedFile) -> str:
    """The verified type of an upload; ValidationError if it may not be attached."""
    name = os.path.basename(uploaded_file.name or "") or _("The file")
    size = uploaded_file.size or 0
    if size == 0:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name}, code="empty")
    if size > settings.ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            _("“%(name)s” is %(size)s; files can be at most %(max)s.")
            % {"name": name, "size": filesizeformat(size), "max": filesizeformat(settings.ATTACHMENT_MAX_BYTES)},
            code="too_large",
        )
    declared = _declared_type(uploaded_file)
    if declared not in Attachment.ALLOWED_TYPES:
        raise ValidationError(
            _(
                "“%(name)s” cannot be attached: files of type %(type)s are refused. "
                "Attach PDF, images, text or CSV, ZIP, MP4 or QuickTime video, or Office documents."
            )
            % {"name": name, "type": declared or _("unknown")},
            code="refused_type",
        )
    uploaded_file.seek(0)
    head = uploaded_file.read(SNIFF_BYTES)
    uploaded_file.seek(0)
    matches = declared in _sniffed_types(head)
    if matches and declared in OFFICE_FOLDERS:
        matches = _office_folder_present(uploaded_file, OFFICE_FOLDERS[declared])
    if not matches:
        raise ValidationError(
            _("“%(name)s” is not what it claims to be: its contents are not %(type)s.")
            % {"name": name, "type": declared},
            code="type_mismatch",
        )
    if declared == "image/svg+xml" and _svg_is_active(uploaded_file):
        raise ValidationError(
            _("“%(name)s” is a drawing with scripts or links that run: export it without them, or as PNG or PDF.")
            % {"name": name},
            code="active_content",
        )
    return declared


@transaction.atomic
def attachment_add(*, obj: models.Model, uploaded_file: UploadedFile, uploaded_by: User) -> Attachment:
    """Check an upload, store it privately and attach it to `obj`; nothing is stored if it is refused."""
    mime_type = attachment_check(uploaded_file)
    name = os.path.basename(uploaded_file.name or "file")
    attachment = Attachment(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        original_name=name[:200],
        mime_type=mime_type,
        size=uploaded_file.size,
        uploaded_by=uploaded_by,
    )
    attachment.file.save(name, uploaded_file, save=False)
    try:
        attachment.save()
    except BaseException:
        attachment.file.delete(save=False)
        raise
    return attachment


def attachments_discard(attachments: list[Attachment]) -> None:
    """Remove the stored files of attachments whose rows were rolled back."""
    for attachment in attachments:
        attachment.file.delete(save=False)


def attachments_of(obj: models.Model):
    """The attachments on `obj`, newest first, with who uploaded them."""
    # Joined rather than looked up, so a page's query count does not depend on the content-type cache.
    return Attachment.objects.filter(
        content_type__app_label=obj._meta.app_label, content_type__model=obj._meta.model_name, object_id=str(obj.pk)
    ).select_related("uploaded_by")
