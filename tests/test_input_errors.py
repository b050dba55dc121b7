"""Bad input of every format: one-line error with a hint, exit code 3, no file left behind.

Also the bounded reads and honest refusals of issue 16: devices and endless pipes are refused
before anything large is read, UTF-16 without a BOM is decoded (not called binary), and a
symbolic link loop gets its own message (not "File not found").
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path

import input_fixtures as fx
import pytest
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.errors import ExitCode, InputError
from toolkit.ingest import read_bounded, read_source

runner = CliRunner()


def _scanned(path: Path) -> None:
    from reportlab.pdfgen import canvas

    page = canvas.Canvas(str(path))
    page.setFillGray(0.3)
    page.rect(60, 80, 470, 680, fill=1)  # a page that is all picture, no text layer
    page.showPage()
    page.save()


def _encrypted(path: Path) -> None:
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen import canvas

    page = canvas.Canvas(str(path), encrypt=StandardEncryption("user-secret", "owner-secret"))
    page.drawString(72, 700, "Excellencies, this text is behind a password.")
    page.save()


def _damaged(path: Path) -> None:
    whole = fx.write_pdf(path.with_name("whole.pdf")).read_bytes()
    path.with_name("whole.pdf").unlink()
    path.write_bytes(whole[: len(whole) // 3])  # truncated in transfer: no xref, no trailer


def _too_many_pages(path: Path) -> None:
    from reportlab.pdfgen import canvas

    page = canvas.Canvas(str(path))
    for number in range(501):
        page.drawString(72, 700, f"Annex page {number}.")
        page.showPage()
    page.save()


def _too_large(path: Path) -> None:
    with path.open("wb") as handle:
        handle.write(b"%PDF-1.7\n")
        handle.truncate(50 * 1024 * 1024 + 1)  # sparse: costs no disk


def _binary_word(path: Path) -> None:
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2048))


def _not_a_docx(path: Path) -> None:
    path.write_bytes(b"PK\x03\x04 this zip stops here")


def _rtf(path: Path) -> None:
    path.write_bytes(b"{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 Times;}} Excellencies, ...}")


def _odt(path: Path) -> None:
    import zipfile

    with zipfile.ZipFile(path, "w") as archive:  # the mimetype entry comes first, stored
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")


CASES: list[tuple[str, str, Callable[[Path], None], str, str]] = [
    ("scanned", "scan.pdf", _scanned, "has no text layer", "ocrmypdf in.pdf out.pdf"),
    ("encrypted", "locked.pdf", _encrypted, "is encrypted", "qpdf --decrypt"),
    ("damaged", "broken.pdf", _damaged, "damaged or truncated", "fresh copy"),
    ("pages", "annexes.pdf", _too_many_pages, "more than 500 pages", "qpdf"),
    ("size", "huge.pdf", _too_large, "too large", "one file per statement"),
    ("doc", "statement.doc", _binary_word, "binary word file (.doc)", "--convert-to docx"),
    ("doc-as-docx", "statement.docx", _binary_word, "binary word file (.doc)", "libreoffice"),
    ("bad-docx", "statement.docx", _not_a_docx, "not a readable word file", "save it again"),
    ("rtf", "statement.rtf", _rtf, "is an rtf file", "--convert-to docx"),
    ("odt", "statement.odt", _odt, "is an opendocument file", "--convert-to docx"),
]


@pytest.mark.parametrize(
    ("name", "make", "message", "hint"),
    [pytest.param(name, make, message, hint, id=case) for case, name, make, message, hint in CASES],
)
def test_refused_with_one_line_and_no_output(
    tmp_path: Path, name: str, make: Callable[[Path], None], message: str, hint: str
) -> None:
    source_dir = tmp_path / "source"
    source_dir.mkdir()
    path = source_dir / name
    make(path)
    before = sorted(p.name for p in source_dir.iterdir())
    with pytest.raises(InputError) as info:
        read_source(path)
    assert message in info.value.message.lower()
    assert hint.lower() in info.value.hint.lower()
    assert "\n" not in info.value.message

    out = tmp_path / "out"
    for command in (
        ["segment", str(path)],
        ["build", str(path), "--engine", "fake", "-o", str(out)],
    ):
        result = runner.invoke(app, command)
        assert result.exit_code == ExitCode.INPUT, result.output
        lines = result.output.strip().splitlines()
        assert lines[0].startswith("Error: ") and lines[1].startswith("Hint: ")
        assert len(lines) == 2 and "Traceback" not in result.output
    assert sorted(p.name for p in source_dir.iterdir()) == before
    assert not out.exists() or not any(out.rglob("*"))


# --- issue 16: bounded reads and honest refusals ----------------------------------------------


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_device_refused_at_once() -> None:
    result = runner.invoke(app, ["segment", "/dev/zero"])
    assert result.exit_code == ExitCode.INPUT
    assert "is a device, not a speech file" in result.output


def test_endless_pipe_read_no_further_than_the_bound(tmp_path: Path) -> None:
    fifo = tmp_path / "speech.md"
    os.mkfifo(fifo)
    written = 0
    limit = 64 * 1024

    def writer() -> None:
        nonlocal written
        try:
            with fifo.open("wb") as handle:
                while written < 100 * limit:  # "endless" as far as the reader can tell
                    handle.write(b"a" * 4096)
                    written += 4096
        except BrokenPipeError:
            pass

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    with pytest.raises(InputError) as info:
        read_bounded(fifo, limit)
    thread.join(timeout=10)
    assert "too large" in info.value.message
    assert written < 4 * limit  # the reader stopped; the writer got a broken pipe


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize(
    "text",
    [
        "Excellencies,\n\nThe Committee’s work on counter-terrorism goes on.\n",
        "各位阁下，\n\n反恐委员会的工作仍在继续。一个新的阶段已经开始。\n",
        "Ваши превосходительства,\n\nРабота Комитета продолжается.\n",
    ],
    ids=["english", "chinese", "russian"],
)
def test_utf16_without_bom_is_decoded(tmp_path: Path, encoding: str, text: str) -> None:
    path = tmp_path / "speech.md"
    path.write_bytes(text.encode(encoding))
    source = read_source(path)
    assert source.text == text
    assert source.encoding == encoding


def test_binary_with_nuls_still_refused(tmp_path: Path) -> None:
    path = tmp_path / "speech.md"
    path.write_bytes(bytes(range(256)) * 8)
    with pytest.raises(InputError, match="binary"):
        read_source(path)


def test_symlink_loop_has_its_own_message(tmp_path: Path) -> None:
    loop = tmp_path / "speech.en.md"
    other = tmp_path / "other.md"
    loop.symlink_to(other)
    other.symlink_to(loop)
    result = runner.invoke(app, ["segment", str(loop)])
    assert result.exit_code == ExitCode.INPUT
    assert "symbolic link loop" in result.output
    assert "not found" not in result.output.lower()


def test_dangling_symlink_names_its_target(tmp_path: Path) -> None:
    link = tmp_path / "speech.en.md"
    link.symlink_to(tmp_path / "moved-away.md")
    with pytest.raises(InputError, match="moved-away.md, which does not exist"):
        read_source(link)


def test_pdf_size_bound_checked_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "big.pdf"
    _too_large(path)
    opened: list[Path] = []
    real_open = Path.open

    def spy(self: Path, *args: object, **kwargs: object) -> object:
        opened.append(self)
        return real_open(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "open", spy)
    with pytest.raises(InputError, match="too large"):
        read_source(path)
    assert path not in opened


def test_a_pdf_or_word_file_named_md_is_read_for_what_it_is(tmp_path: Path) -> None:
    pdf = tmp_path / "statement.en.md"
    pdf.write_bytes(fx.write_pdf(tmp_path / "s.pdf").read_bytes())
    docx = tmp_path / "statement.fr.txt"
    docx.write_bytes(fx.write_docx(tmp_path / "s.docx").read_bytes())
    assert read_source(pdf).format == "pdf"
    assert (read_source(docx).format, read_source(docx).lang) == ("docx", "fr")
