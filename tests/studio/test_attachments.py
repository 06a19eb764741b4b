"""Uploads are checked by what their bytes are, not only by what they claim to be,
and nothing is stored for a refused file."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from studio.attachments import attachment_add, attachment_check, attachments_of
from studio.models import Attachment
from tests import factories as f

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + b"1 0 obj\n" * 8
MP4 = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 32
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(name, content, content_type):
    return SimpleUploadedFile(name, content, content_type=content_type)


def office_file(folder):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{folder}document.xml", "<document/>")
    return buffer.getvalue()


def stored_files():
    root = Path(default_storage.location)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


@pytest.mark.parametrize(
    ("name", "content", "declared", "verified"),
    [
        ("brief.pdf", PDF, "application/pdf", "application/pdf"),
        ("logo.png", PNG, "image/png", "image/png"),
        ("photo.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 16, "image/jpeg", "image/jpeg"),
        ("notes.txt", "Größe: 3 × A4".encode(), "text/plain", "text/plain"),
        ("list.csv", b"type,quantity\nbanner,3\n", "text/csv", "text/csv"),
        ("icon.svg", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>', "image/svg+xml",
         "image/svg+xml"),
        # A designer's drawing: shapes, text, a style, a gradient and a link to a fragment.
        ("mark.svg", b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
         b'<style>.a{fill:#f60}</style><defs><linearGradient id="g"/></defs>'
         b'<rect class="a" width="10" height="10"/><use xlink:href="#g"/><text>Based on one = two</text></svg>',
         "image/svg+xml", "image/svg+xml"),
        ("cut.mp4", MP4, "video/mp4", "video/mp4"),
        ("brief.docx", office_file("word/"), DOCX_TYPE, DOCX_TYPE),
        # A browser that does not know the type: the name decides, the bytes confirm.
        ("brief.pdf", PDF, "application/octet-stream", "application/pdf"),
    ],
)
def test_allowed_files_pass_with_their_verified_type(name, content, declared, verified):
    assert attachment_check(upload(name, content, declared)) == verified


@pytest.mark.parametrize(
    ("name", "content", "declared", "code"),
    [
        ("setup.exe", b"MZ\x90\x00" + b"\x00" * 32, "application/x-msdownload", "refused_type"),
        ("page.html", b"<html><script>alert(1)</script></html>", "text/html", "refused_type"),
        ("unknown.bin", b"\x00\x01\x02", "application/octet-stream", "refused_type"),
        # Claims to be an image, is a program.
        ("logo.png", b"MZ\x90\x00" + b"\x00" * 32, "image/png", "type_mismatch"),
        # Claims to be a PDF, is a web page.
        ("brief.pdf", b"<html><body>hi</body></html>", "application/pdf", "type_mismatch"),
        # A ZIP named as a spreadsheet without a spreadsheet in it.
        ("sheet.xlsx", office_file("word/"), XLSX_TYPE, "type_mismatch"),
        ("empty.txt", b"", "text/plain", "empty"),
        # Drawings that would run something if opened in the browser.
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
         "image/svg+xml", "active_content"),
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "image/svg+xml",
         "active_content"),
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><a href="javascript:alert(1)"><rect/></a></svg>',
         "image/svg+xml", "active_content"),
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><body/></foreignObject></svg>',
         "image/svg+xml", "active_content"),
        ("logo.svg", b'<!DOCTYPE svg [<!ENTITY x "y">]><svg xmlns="http://www.w3.org/2000/svg"/>',
         "image/svg+xml", "active_content"),
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><rect\nONclick = "x"/></svg>', "image/svg+xml",
         "active_content"),
        # The script far past the first bytes the type is sniffed from.
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg">' + b" " * 100_000 + b"<SCRIPT>x</SCRIPT></svg>",
         "image/svg+xml", "active_content"),
    ],
)
def test_refused_files_say_why(name, content, declared, code):
    with pytest.raises(ValidationError) as refused:
        attachment_check(upload(name, content, declared))
    assert refused.value.code == code
    assert name in refused.value.messages[0]


def test_a_file_over_the_limit_is_refused_with_the_limit_in_the_message(settings):
    settings.ATTACHMENT_MAX_BYTES = 2 * 1024 * 1024
    film = upload("film.mp4", MP4 + b"\x00" * (2 * 1024 * 1024), "video/mp4")

    with pytest.raises(ValidationError) as refused:
        attachment_check(film)

    assert refused.value.code == "too_large"
    assert refused.value.messages == ["“film.mp4” is 2.0\xa0MB; files can be at most 2.0\xa0MB."]


def test_an_added_file_is_stored_privately_on_its_object(pm):
    project = f.ProjectFactory()

    attachment = attachment_add(obj=project, uploaded_file=upload("logo.png", PNG, "image/png"), uploaded_by=pm)

    assert (attachment.target, attachment.original_name, attachment.mime_type) == (project, "logo.png", "image/png")
    assert attachment.size == len(PNG)
    assert Path(attachment.file.path).read_bytes() == PNG
    assert Path(attachment.file.path).is_relative_to(default_storage.location)
    assert list(attachments_of(project)) == [attachment]


def test_a_refused_file_leaves_nothing_behind(pm):
    project = f.ProjectFactory()

    with pytest.raises(ValidationError):
        attachment_add(obj=project, uploaded_file=upload("logo.png", b"GIF89a...", "image/png"), uploaded_by=pm)

    assert not Attachment.objects.exists()
    assert stored_files() == []
