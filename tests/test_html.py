"""The read-along pages and the index page: their HTML, and in Debian chromium (Playwright).

Browser checks: axe-core finds no WCAG 2.0/2.1/2.2 A/AA violation on any page; the page
makes no network request; nothing scrolls sideways at 320 px; the documented keys move the
highlight and seek the audio; during playback the highlighted sentence is the one being read.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from audio_helpers import sample_speech
from browser import axe_violations, browser_page
from readalong_pack import FLAGGED, LANGS, TITLES, Pack
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.document import Cue
from toolkit.errors import InputError
from toolkit.export.audio import webvtt
from toolkit.export.html import (
    file_kind,
    human_duration,
    human_size,
    pack_languages,
    render_reader,
)
from toolkit.export.html.model import check_cues, parse_vtt, reading_of

runner = CliRunner()


# --------------------------------------------------------------------------- without a browser


def test_vtt_round_trip_keeps_ids_times_and_text() -> None:
    cues = (Cue("p01s01", 0.0, 1.25, "A & <b>"), Cue("p02s01", 1.5, 3.0, "Second"))
    parsed = parse_vtt(webvtt(cues, "note --> here"))
    assert [(c.sentence_id, c.start, c.end, c.text) for c in parsed] == [
        ("p01s01", 0.0, 1.25, "A & <b>"),
        ("p02s01", 1.5, 3.0, "Second"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "not a vtt",
        "WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nno id\n",
        "WEBVTT\n\np01s01\n00:00:02.000 --> 00:00:01.000\nends before it starts\n",
    ],
)
def test_foreign_transcripts_are_refused(text: str) -> None:
    with pytest.raises(InputError):
        parse_vtt(text)


def test_cues_of_another_text_are_refused() -> None:
    reading = reading_of(sample_speech())
    with pytest.raises(InputError, match="does not match"):
        check_cues(reading, [Cue("p99s01", 0, 1)])
    with pytest.raises(InputError):  # out of reading order
        check_cues(reading, [Cue("p02s01", 0, 1), Cue("p01s01", 1, 2)])


def test_reader_markup(readalong_pack: Pack) -> None:
    page = readalong_pack.file("ar", "html").read_text(encoding="utf-8")
    assert page.startswith('<!DOCTYPE html>\n<html lang="ar" dir="rtl">')
    assert page.count("<h1") == 1
    assert re.search(r'<main id="main">', page) and 'class="skip" href="#text"' in page
    # Every passage says its language and direction.
    assert page.count('class="col target" lang="ar" dir="rtl"') == 3
    assert page.count('class="col original" lang="en" dir="ltr"') == 3
    # Every sentence read is a focusable, addressable span.
    for cue in readalong_pack.cues["ar"]:
        assert f'data-s="{cue.sentence_id}" id="{cue.sentence_id}" tabindex="0"' in page
    # Flagged for review, visibly and in words.
    assert "\u2691" in page and "number-mismatch" in page
    # Self-contained: the only reference is the MP3 beside it (and the other readers).
    refs = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert all(not re.match(r"[a-z]+:|//", ref) for ref in refs), refs
    assert "hand-made.ar.mp3" in refs and "<link" not in page and "@import" not in page
    assert "Noto Naskh Arabic" in page and "WenQuanYi Zen Hei" in page
    # Which voice reads it, as the MP3's own tag says.
    assert re.search(r"Audio: engine:espeak-ng\|version:[\d.]+\|voice:ar\b", page)


def test_english_reader_is_one_language() -> None:
    speech = sample_speech()
    page = render_reader(speech, (), audio=None)
    assert '<html lang="en" dir="ltr">' in page
    assert 'class="col original"' not in page and 'name="view"' not in page
    assert "<audio" not in page


def test_index_lists_every_language_by_native_name(readalong_pack: Pack) -> None:
    page = (readalong_pack.folder / "index.html").read_text(encoding="utf-8")
    for native in ("English", "العربية", "中文", "Français", "Русский", "Español"):
        assert native in page
    assert "(Arabic)" in page and "(English)" not in page
    for title in TITLES.values():  # each language's title, in its language
        assert title in page
    for lang in LANGS:
        for ext in ("html", "mp3", "vtt", "epub"):
            assert f'href="hand-made.{lang}.{ext}"' in page
    entries = {e.lang: e for e in pack_languages(readalong_pack.folder, readalong_pack.slug)}
    assert list(entries) == list(LANGS)
    assert entries["ar"].duration_s == pytest.approx(readalong_pack.durations["ar"], abs=0.002)
    assert human_duration(entries["ar"].duration_s or 0) in page


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("s.ar.html", "reader"),
        ("s.en-ar.pdf", "pdf"),
        ("s.en-ar.stacked.pdf", "pdf"),
        ("s.ar.pdf", "pdf"),
        ("s.ar.mp3", "mp3"),
        ("s.ar.epub", "epub"),
        ("s.ar.json", None),
        ("s.fr.mp3", None),
    ],
)
def test_file_kinds(name: str, kind: str | None) -> None:
    assert file_kind("s", "ar", name) == kind


def test_sizes_and_durations_read_like_a_file_manager() -> None:
    assert [human_size(n) for n in (512, 58_507, 3_922_996)] == ["512 bytes", "59 KB", "3.9 MB"]
    assert [human_duration(s) for s in (489.6, 3723)] == ["8:10", "1:02:03"]


def test_cli_writes_reader_and_index(readalong_pack: Pack, tmp_path: Path) -> None:
    import shutil

    folder = tmp_path / "hand-made"
    shutil.copytree(readalong_pack.folder, folder)
    (folder / "hand-made.fr.html").unlink()
    result = runner.invoke(app, ["html", str(folder / "hand-made.fr.json")])
    assert result.exit_code == 0, result.output
    assert "8 sentences synchronised, written" in result.output
    assert (folder / "hand-made.fr.html").read_text(encoding="utf-8") == (
        readalong_pack.file("fr", "html").read_text(encoding="utf-8")
    )
    again = runner.invoke(app, ["html", str(folder / "hand-made.fr.json")])
    assert "unchanged" in again.output
    (folder / "hand-made.ru.mp3").unlink()
    missing = runner.invoke(app, ["html", str(folder / "hand-made.ru.json")])
    assert missing.exit_code == 3
    assert "Error: No audio reading" in missing.output and "--no-audio" in missing.output
    text_only = runner.invoke(app, ["html", str(folder / "hand-made.ru.json"), "--no-audio"])
    assert text_only.exit_code == 0 and "<audio" not in (folder / "hand-made.ru.html").read_text()
    source = runner.invoke(app, ["html", "source/x.en.md"])
    assert source.exit_code == 3 and "Hint:" in source.output


def test_help_explains_every_option() -> None:
    result = runner.invoke(app, ["html", "--help"])
    assert result.exit_code == 0
    for option in ("--audio", "--no-audio", "--index", "--no-index"):
        assert option in result.output


# --------------------------------------------------------------------------- in chromium


def _open(page, path: Path) -> list[str]:  # type: ignore[no-untyped-def]
    """Load a page; return the URLs it asked for outside its own folder."""
    foreign: list[str] = []
    folder = path.parent.as_uri() + "/"
    page.on("request", lambda r: None if r.url.startswith(folder) else foreign.append(r.url))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return foreign


@pytest.mark.parametrize("name", [*(f"hand-made.{lang}.html" for lang in LANGS), "index.html"])
def test_axe_finds_no_violation_and_nothing_leaves_the_folder(
    readalong_pack: Pack, name: str
) -> None:
    with browser_page() as page:
        foreign = _open(page, readalong_pack.folder / name)
        assert axe_violations(page) == []
        assert foreign == []


@pytest.mark.parametrize(
    ("name", "media"),
    [
        ("hand-made.ar.html", {"color_scheme": "dark"}),
        ("hand-made.zh.html", {"color_scheme": "dark"}),
        ("index.html", {"color_scheme": "dark"}),
        ("hand-made.ar.html", {"forced_colors": "active", "reduced_motion": "reduce"}),
    ],
)
def test_axe_also_passes_in_dark_mode_forced_colours_and_while_reading(
    readalong_pack: Pack, name: str, media: dict[str, str]
) -> None:
    with browser_page() as page:
        page.emulate_media(**media)
        _open(page, readalong_pack.folder / name)
        if name != "index.html":
            page.focus("#p04s01")
            page.keyboard.press("l")  # a highlighted sentence, and a focus ring
        assert axe_violations(page) == []


@pytest.mark.parametrize("name", [*(f"hand-made.{lang}.html" for lang in LANGS), "index.html"])
def test_no_horizontal_scroll_at_320_px(readalong_pack: Pack, name: str) -> None:
    with browser_page(width=320, height=640) as page:
        _open(page, readalong_pack.folder / name)
        widths = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert widths[0] <= widths[1], widths


def _state(page):  # type: ignore[no-untyped-def]
    return page.evaluate(
        """() => {
          const audio = document.getElementById('audio');
          const current = document.querySelectorAll('.s.current[aria-current="true"]');
          return {t: audio.currentTime, paused: audio.paused,
                  current: document.getElementById('reader').dataset.current,
                  marked: Array.from(current).map(e => e.dataset.s),
                  focused: document.activeElement && document.activeElement.id,
                  rate: audio.playbackRate};
        }"""
    )


def test_documented_keys_move_the_highlight_and_seek_the_audio(readalong_pack: Pack) -> None:
    starts = {c.sentence_id: c.start for c in readalong_pack.cues["fr"]}
    with browser_page() as page:
        _open(page, readalong_pack.folder / "hand-made.fr.html")
        page.wait_for_function("document.getElementById('audio').readyState >= 1")
        help_text = page.inner_text("section.shortcuts")
        for key in ("K", "J", "L", "Shift", "Enter"):
            assert key in help_text
        page.focus("#p04s01")
        steps = [
            ("l", "p04s02", True),  # next sentence; the focus follows it
            ("j", "p04s01", True),
            ("Shift+L", "p05s01", True),  # next paragraph
            ("Shift+J", "p04s01", True),  # previous paragraph: start of the one before
            ("l", "p04s02", True),
        ]
        for key, expected, focus_follows in steps:
            page.keyboard.press(key)
            state = _state(page)
            assert state["current"] == expected, (key, state)
            # Both languages' sentences are marked, with aria-current, not by colour alone.
            assert state["marked"] == [expected, expected]
            assert state["t"] == pytest.approx(starts[expected], abs=0.05), (key, state)
            assert (state["focused"] == expected) is focus_follows
        page.keyboard.press(">")
        assert _state(page)["rate"] == 1.25
        page.keyboard.press("<")
        assert _state(page)["rate"] == 1.0
        page.keyboard.press("k")
        page.wait_for_function("!document.getElementById('audio').paused")
        page.keyboard.press("k")
        assert _state(page)["paused"]
        # Enter on a sentence plays from it; a click does the same.
        page.focus("#p05s02")
        page.keyboard.press("Enter")
        page.wait_for_function("!document.getElementById('audio').paused")
        state = _state(page)
        assert state["current"] == "p05s02"
        assert state["t"] >= starts["p05s02"] - 0.05
        page.click("#p02s01")
        assert _state(page)["current"] == "p02s01"
        # With the shortcuts switched off, the keys are left alone.
        page.uncheck("#shortcuts-on")
        page.focus("#p04s01")
        page.keyboard.press("l")
        assert _state(page)["current"] != "p04s02"


def test_keys_outside_the_reader_are_never_taken(readalong_pack: Pack) -> None:
    with browser_page() as page:
        _open(page, readalong_pack.folder / "hand-made.ar.html")
        page.evaluate("document.activeElement.blur()")
        page.keyboard.press("l")
        page.keyboard.press("k")
        state = _state(page)
        assert state["current"] == "p01s01" and state["paused"]


def test_highlight_follows_the_audio_during_playback(readalong_pack: Pack) -> None:
    cues = readalong_pack.cues["ar"]
    with browser_page() as page:
        _open(page, readalong_pack.folder / "hand-made.ar.html")
        page.select_option("#speed", "2")
        page.click("#play")
        page.wait_for_function("!document.getElementById('audio').paused")
        seen = set()
        for _ in range(10):
            page.wait_for_timeout(800)
            state = _state(page)
            t = state["t"]
            reading = [c.sentence_id for c in cues if c.start <= t < c.end]
            if reading:
                # The sentence whose cue contains currentTime (a frame of slack at an edge).
                near_edge = any(abs(t - c.start) < 0.1 or abs(t - c.end) < 0.1 for c in cues)
                assert state["current"] == reading[0] or near_edge, (t, state)
            else:  # in a pause: still the sentence just read
                before = [c.sentence_id for c in cues if c.end <= t]
                assert state["current"] == before[-1], (t, state)
            seen.add(state["current"])
        assert len(seen) >= 3  # the highlight really moved along


def test_screenshots_of_the_arabic_and_chinese_readers(readalong_pack: Pack, artefacts: Path):
    """Left for a human to look at (the path is printed); checks only that they were taken."""
    for lang, width in (("ar", 1280), ("zh", 1280), ("ar", 320), ("zh", 320)):
        with browser_page(width=width, height=900) as page:
            _open(page, readalong_pack.folder / f"hand-made.{lang}.html")
            page.focus(f"#{FLAGGED[1]}")
            page.keyboard.press("l")
            shot = artefacts / f"reader-{lang}-{width}.png"
            page.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 10_000
    print(f"screenshots in {artefacts}")
