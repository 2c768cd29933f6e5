import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from podium.base.uploads import clean_pdf


def test_a_pdf_is_kept_under_a_random_name():
    clean = clean_pdf(SimpleUploadedFile("../../etc/x.pdf", b"%PDF-1.5\nbody\n%%EOF\n"))

    assert clean.name.endswith(".pdf")
    assert "/" not in clean.name
    assert clean.name != "x.pdf"
    assert clean.read() == b"%PDF-1.5\nbody\n%%EOF\n"


@pytest.mark.parametrize("content", [b"<html><script>", b"%PDF-1.5 never ends", b""])
def test_anything_else_is_refused(content):
    with pytest.raises(ValidationError, match="not a PDF"):
        clean_pdf(SimpleUploadedFile("slides.pdf", content))


def test_the_size_limit():
    with pytest.raises(ValidationError, match="limit is 1 MB"):
        clean_pdf(
            SimpleUploadedFile("slides.pdf", b"%PDF-" + b"x" * 1024 * 1024 + b"%%EOF"), max_bytes=1024 * 1024
        )
