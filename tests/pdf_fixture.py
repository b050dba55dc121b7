"""Build TranslatedSpeech objects from the hand-written fixture tests/data/pdf/speech.json.

The fixture holds real sentences written for these tests (a UN-style briefing) in English and
the five target languages, with digits, Latin acronyms inside Arabic and Chinese, and the
markup characters ``<``, ``>`` and ``&``. Used by the PDF tests and by bench/pdf_render.py.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from speeches import speech_from_paragraphs, translated_by_hand

from toolkit.document import (
    Meta,
    Provenance,
    TranslatedSpeech,
    TranslationProvenance,
)

FIXTURE = Path(__file__).resolve().parent / "data" / "pdf" / "speech.json"


def load_fixture() -> dict[str, Any]:
    """The raw fixture."""
    return json.loads(FIXTURE.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _meta(data: dict[str, Any], lang: str) -> Meta:
    return Meta(date=data["date"], speaker=data["speaker"], **data["meta"][lang])


def build_translated(
    lang: str,
    *,
    repeat: int = 1,
    engine: str = "argos",
    extra: dict[str, Any] | None = None,
    notice: str | None = None,
) -> TranslatedSpeech:
    """A TranslatedSpeech en→``lang`` from the fixture; ``repeat`` makes the body N× longer."""
    data = load_fixture()
    fixture_paras = data["paragraphs"]
    body = [fixture_paras[0]] + fixture_paras[1:-1] * repeat + [fixture_paras[-1]]
    en_meta, tgt_meta = _meta(data, "en"), _meta(data, lang)
    front = [
        ("title", en_meta.title, tgt_meta.title),
        ("subtitle", en_meta.subtitle, tgt_meta.subtitle),
    ]
    provenance = Provenance(engine=engine, model=f"translate-en_{lang}", model_version="1.9")
    items = [(kind, [en], [tgt]) for kind, en, tgt in front] + [
        (p["kind"], p["en"], p[lang]) for p in body
    ]
    speech = speech_from_paragraphs(
        [(kind, en_sents) for kind, en_sents, _ in items],
        lang="en",
        slug=data["slug"],
        source=f"source/{data['slug']}.en.md",
        source_sha256="0" * 64,
        meta=en_meta,
    )
    return translated_by_hand(
        speech,
        lang,
        [tgt_sents for _, _, tgt_sents in items],
        tgt_meta,
        provenance=provenance,
        engine=engine,
        notice=notice,
        document=TranslationProvenance.from_v1_extra(
            engine,
            extra
            if extra is not None
            else {"model": f"translate-en_{lang}", "model_version": "1.9"},
        ),
    )
