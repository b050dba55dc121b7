"""The reading's metadata: ID3v2.4 tags with a chapter per paragraph, and the WebVTT transcript."""

from __future__ import annotations

import io
from pathlib import Path

from toolkit import __version__
from toolkit.document import Cue, Meta
from toolkit.export.audio.plan import ISO_639_2, RENDER_TAG, Chapter


def _timestamp(seconds: float) -> str:
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"


def _vtt_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def webvtt(cues: tuple[Cue, ...], header_note: str | None = None) -> str:
    """A WebVTT transcript: one cue per sentence, identified by its sentence ID."""
    out = ["WEBVTT", ""]
    if header_note:
        note = header_note.replace("-->", "->")
        out += [f"NOTE {note}", ""]
    for cue in cues:
        out += [
            cue.sentence_id,
            f"{_timestamp(cue.start)} --> {_timestamp(cue.end)}",
            _vtt_escape(cue.text),
            "",
        ]
    return "\n".join(out)


def _id3(
    meta: Meta,
    lang: str,
    chapters: tuple[Chapter, ...],
    signature: str,
    render_key: str,
    provenance: str,
) -> bytes:
    """ID3v2.4 tag bytes: title, artist, language, provenance, CTOC and one CHAP per chapter."""
    from mutagen.id3 import CHAP, COMM, CTOC, ID3, TIT2, TLAN, TPE1, TSSE, TXXX, CTOCFlags

    tags = ID3()
    if meta.title:
        tags.add(TIT2(encoding=3, text=[meta.title]))
    if meta.speaker:
        tags.add(TPE1(encoding=3, text=[meta.speaker]))
    tags.add(TLAN(encoding=3, text=[ISO_639_2.get(lang, lang)]))
    tags.add(TSSE(encoding=3, text=[f"toolkit {__version__}; {signature}"]))
    tags.add(
        COMM(encoding=3, lang=ISO_639_2.get(lang, "und"), desc="provenance", text=[provenance])
    )
    tags.add(TXXX(encoding=3, desc=RENDER_TAG, text=[render_key]))
    tags.add(
        CTOC(
            element_id="toc",
            flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
            child_element_ids=[c.id for c in chapters],
            sub_frames=[TIT2(encoding=3, text=["Paragraphs"])],
        )
    )
    for chapter in chapters:
        tags.add(
            CHAP(
                element_id=chapter.id,
                start_time=round(chapter.start * 1000),
                end_time=round(chapter.end * 1000),
                start_offset=0xFFFFFFFF,
                end_offset=0xFFFFFFFF,
                sub_frames=[TIT2(encoding=3, text=[chapter.title])],
            )
        )
    buffer = io.BytesIO()
    tags.save(buffer, v2_version=4, padding=lambda info: 0)
    return buffer.getvalue()


def _existing_render_key(path: Path) -> str | None:
    from mutagen import MutagenError
    from mutagen.id3 import ID3

    try:
        frames = ID3(path).getall(f"TXXX:{RENDER_TAG}")
    except (MutagenError, OSError):
        return None
    return str(frames[0].text[0]) if frames else None


