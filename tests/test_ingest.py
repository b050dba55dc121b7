"""ingest.read_source: what is accepted, how it is decoded, and what is refused."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from toolkit.errors import ExitCode, InputError
from toolkit.ingest import MAX_SOURCE_BYTES, read_source, split_source_name

TEXT = "Excellencies,\n\nThe Committee’s work on “counter-terrorism” — and Michèle’s — goes on.\n"


@pytest.mark.parametrize(
    ("raw", "encoding"),
    [
        pytest.param(TEXT.encode("utf-8"), "utf-8", id="utf-8"),
        pytest.param(b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "utf-8-sig", id="utf-8-bom"),
        pytest.param(TEXT.encode("utf-16"), "utf-16", id="utf-16-bom-le"),
        pytest.param(b"\xfe\xff" + TEXT.encode("utf-16-be"), "utf-16", id="utf-16-bom-be"),
        pytest.param(TEXT.encode("cp1252"), "cp1252", id="cp1252"),
    ],
)
def test_accepted_encodings(tmp_path: Path, raw: bytes, encoding: str) -> None:
    path = tmp_path / "speech.en.md"
    path.write_bytes(raw)
    source = read_source(path)
    assert source.text == TEXT
    assert source.encoding == encoding
    assert not source.text.startswith("\ufeff")


def test_latin1_accents_decoded_not_garbled(tmp_path: Path) -> None:
    path = tmp_path / "discours.fr.md"
    path.write_bytes("Mesdames et Messieurs, la société civile a été entendue.\n".encode("latin-1"))
    source = read_source(path)
    assert "société civile a été entendue" in source.text
    assert source.lang == "fr"


def test_newlines_and_nfc_normalised(tmp_path: Path) -> None:
    path = tmp_path / "s.en.md"
    path.write_bytes("Miche\u0300le\r\nline two\rline three\fpage two".encode())
    text = read_source(path).text
    assert text == "Michèle\nline two\nline three\n\npage two"


def test_slug_lang_and_sha(tmp_path: Path) -> None:
    path = tmp_path / "2021-05-26-speech.ru.md"
    path.write_text("Текст выступления.", encoding="utf-8")
    source = read_source(path)
    assert (source.slug, source.lang) == ("2021-05-26-speech", "ru")
    assert len(source.sha256) == 64
    assert read_source(path, lang="en").lang == "en"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("a.en.md", ("a", "en")),
        ("a.zh.txt", ("a", "zh")),
        ("speech.md", ("speech", "en")),
        ("speech.de.md", ("speech.de", "en")),
        ("x.y.fr.markdown", ("x.y", "fr")),
    ],
)
def test_split_source_name(name: str, expected: tuple[str, str]) -> None:
    assert split_source_name(Path(name)) == expected


def _sparse_huge(path: Path) -> None:
    with path.open("wb") as handle:
        handle.truncate(MAX_SOURCE_BYTES + 1)  # sparse: no need to write megabytes


def _write(raw: bytes) -> Callable[[Path], object]:
    return lambda path: path.write_bytes(raw)


REFUSALS = [
    # (id, what is at the path (None: nothing), the words the one-line message must hold)
    ("missing", None, "not found"),
    ("folder", Path.mkdir, "folder"),
    ("empty", _write(b""), "empty"),
    ("blank", _write(b"   \n\n\t \n"), "empty"),
    ("bom-only-utf-8", _write(b"\xef\xbb\xbf"), "empty"),
    ("bom-only-utf-16", _write(b"\xff\xfe"), "empty"),
    ("binary", _write(b"%PDF-1.7\n\x00\x01\x02binary\x00stream"), "binary"),
    ("png", _write(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))), "binary"),
    ("undecodable", _write(bytes(range(0x80, 0x100)) * 4), "utf-8"),
    ("huge", _sparse_huge, "too large"),
]


@pytest.mark.parametrize(
    ("arrange", "words"), [pytest.param(a, w, id=name) for name, a, w in REFUSALS]
)
def test_refused(tmp_path: Path, arrange: Callable[[Path], object] | None, words: str) -> None:
    """Each bad input is refused with a one-line message naming the problem, and a hint."""
    path = tmp_path / "speech.en.md"
    if arrange is not None:
        arrange(path)
    with pytest.raises(InputError) as info:
        read_source(path)
    error = info.value
    assert words in error.message.lower()
    assert error.hint and "\n" not in error.message
    assert error.exit_code == ExitCode.INPUT
