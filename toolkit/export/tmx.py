"""TMX 1.4b out and in: every human translation the toolkit knows, for any CAT tool's memory.

:func:`export_tmx` writes one ``<tu>`` per English sentence that has at least one human
translation — the aligned reference (``source/<slug>.<lang>.md``) or a translator's post-edit
(``source/<slug>.<lang>.xlf``, which wins) — with one ``<tuv>`` per language (English and up to
the five others) and ``tuid`` = ``<slug>:<sentence id>``. Sentences the aligner could not pair
(``unaligned``, or folded into a neighbour: ``merged-into:…``) are left out: a memory must
only hold sentence pairs a human vouches for. The file is checked against the TMX 1.4 DTD
vendored in ``toolkit/schemas``.

:func:`read_tmx` reads a TMX from the UN, a CAT tool or this toolkit into
:class:`~toolkit.translate.tm.MemoryUnit` pairs (source → each other language), ready for
:meth:`~toolkit.translate.tm.TranslationMemory.add`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from toolkit import __version__
from toolkit.document import Speech, TranslatedSpeech
from toolkit.errors import InputError
from toolkit.export import paths
from toolkit.translate.tm import MemoryUnit

DTD_PATH = Path(__file__).resolve().parent.parent / "schemas" / "tmx14.dtd"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_NATIVE_CODES = {"bpt", "ept", "ph", "it", "ut"}
"""Inline elements whose content is native code, not text."""


@dataclass(frozen=True)
class TmxUnit:
    """One translation unit: a sentence in several languages."""

    tuid: str
    """``<slug>:<sentence id>``."""
    variants: dict[str, str]
    """Language → text (the source language included)."""


def human_units(speech: Speech, translations: Sequence[TranslatedSpeech]) -> list[TmxUnit]:
    """The TMX units of ``speech`` from its human ``translations`` (one per language)."""
    by_lang = {
        t.lang: {
            s.id: s.text
            for s in t.sentences()
            if s.text.strip()
            and s.provenance.written_by_a_person
            and not any(f == "unaligned" or f.startswith("merged") for f in s.provenance.flags)
        }
        for t in translations
    }
    units: list[TmxUnit] = []
    for sentence in speech.sentences():
        variants = {speech.lang: sentence.text}
        for lang, texts in by_lang.items():
            if sentence.id in texts:
                variants[lang] = texts[sentence.id]
        if len(variants) > 1:
            units.append(TmxUnit(f"{speech.slug}:{sentence.id}", variants))
    return units


def human_translations(speech: Speech) -> list[TranslatedSpeech]:
    """Every human translation of ``speech`` found beside it: reference and/or post-edit."""
    from toolkit.languages import LANGUAGES
    from toolkit.translate.postedit import apply_post_edit, load_post_edit, post_edit_path
    from toolkit.translate.reference import find_reference, translate_with_reference

    out: list[TranslatedSpeech] = []
    for lang in LANGUAGES:
        if lang == speech.lang:
            continue
        reference = find_reference(speech, lang)
        post_edit = load_post_edit(speech, lang) if post_edit_path(speech, lang).is_file() else None
        if reference is not None:
            out.append(
                apply_post_edit(translate_with_reference(speech, lang, reference), post_edit)
            )
        elif post_edit is not None:
            out.append(_post_edit_only(speech, lang, post_edit))
    return out


def _post_edit_only(speech: Speech, lang: str, post_edit: Any) -> TranslatedSpeech:
    """A translation holding only a post-edit's confirmed units (for a speech with no reference)."""
    from toolkit.document import Meta, Provenance, TranslatedParagraph, TranslatedSentence

    def sentence(sid: str, source: str) -> TranslatedSentence:
        unit = post_edit.units.get(sid)
        confirmed = unit is not None and unit.state != "initial" and unit.target.strip()
        return TranslatedSentence(
            id=sid,
            source=source,
            text=unit.target if confirmed else "",
            provenance=Provenance(engine="post-edited" if confirmed else "none"),
        )

    return TranslatedSpeech(
        speech=speech,
        lang=lang,
        meta=Meta(),
        paragraphs=tuple(
            TranslatedParagraph(p.id, p.kind, tuple(sentence(s.id, s.text) for s in p.sentences))
            for p in speech.paragraphs
        ),
        engine="post-edited",
    )


def build_tmx(units: Iterable[TmxUnit], src_lang: str = "en") -> bytes:
    """A TMX 1.4b document (UTF-8 bytes with the DOCTYPE) for ``units``."""
    from lxml import etree

    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    root = etree.Element("tmx", version="1.4")
    etree.SubElement(
        root,
        "header",
        creationtool="toolkit",
        creationtoolversion=__version__,
        segtype="sentence",
        datatype="plaintext",
        adminlang="en",
        srclang=src_lang,
        creationdate=stamp,
        **{"o-tmf": "toolkit"},
    )
    body = etree.SubElement(root, "body")
    for unit in units:
        tu = etree.SubElement(body, "tu", tuid=unit.tuid, srclang=src_lang)
        for lang, text in unit.variants.items():
            tuv = etree.SubElement(tu, "tuv", {XML_LANG: lang})
            etree.SubElement(tuv, "seg").text = text
    return bytes(
        etree.tostring(
            root,
            xml_declaration=True,
            encoding="UTF-8",
            pretty_print=True,
            doctype='<!DOCTYPE tmx SYSTEM "tmx14.dtd">',
        )
    )


@cache
def _dtd() -> Any:
    from lxml import etree

    return etree.DTD(str(DTD_PATH))


def validate_tmx(data: bytes) -> list[str]:
    """Errors of ``data`` against the TMX 1.4 DTD ([] when valid)."""
    from lxml import etree

    document = etree.fromstring(data, etree.XMLParser(no_network=True, resolve_entities=False))
    dtd = _dtd()
    if dtd.validate(document):
        return []
    return [f"line {e.line}: {e.message}" for e in dtd.error_log]


def export_tmx(sources: Sequence[Speech], out_file: Path) -> list[TmxUnit]:
    """Write the human translations of ``sources`` as TMX 1.4b to ``out_file`` (atomically)."""
    units: list[TmxUnit] = []
    for speech in sources:
        units += human_units(speech, human_translations(speech))
    src_langs = {s.lang for s in sources} or {"en"}
    if len(src_langs) > 1:
        raise InputError(
            f"The sources are in several languages ({', '.join(sorted(src_langs))}).",
            "Export one TMX per source language.",
        )
    data = build_tmx(units, src_langs.pop())
    errors = validate_tmx(data)
    if errors:  # a bug in the writer
        raise RuntimeError(f"TMX output does not match the TMX 1.4 DTD: {errors[0]}")
    paths.write_bytes_atomic(out_file, data)
    return units


def _seg_text(element: Any) -> str:
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str) and child.tag not in _NATIVE_CODES:
            parts.append(_seg_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _lang(tuv: Any) -> str:
    value = tuv.get(XML_LANG) or tuv.get("lang") or ""
    return value.strip().replace("_", "-").split("-")[0].lower()


def read_tmx(path: Path) -> list[MemoryUnit]:
    """Source → target pairs of a TMX file (any 1.x version); refuses what is not TMX."""
    from lxml import etree

    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"File not found: {path}", "Check the path.") from None
    parser = etree.XMLParser(
        no_network=True, resolve_entities=False, load_dtd=False, huge_tree=True
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise InputError(
            f"{path.name}: not well-formed XML ({exc.msg}).",
            "Export the memory again from the CAT tool as TMX 1.4.",
        ) from None
    if root.tag != "tmx":
        raise InputError(f"{path.name}: not a TMX file (its root element is <{root.tag}>).")
    header = root.find("header")
    header_src = (header.get("srclang") if header is not None else None) or ""
    units: list[MemoryUnit] = []
    for tu in root.iter("tu"):
        variants = [(_lang(tuv), tuv) for tuv in tu.findall("tuv")]
        texts = {
            lang: " ".join(_seg_text(seg).split())
            for lang, tuv in variants
            if lang and (seg := tuv.find("seg")) is not None
        }
        src = (tu.get("srclang") or header_src).strip().replace("_", "-").split("-")[0].lower()
        if src in ("*all*", "") or src not in texts:
            src = "en" if "en" in texts else ""
        if not src:
            continue
        origin = tu.get("tuid")
        units += [
            MemoryUnit(src, lang, texts[src], text, origin)
            for lang, text in texts.items()
            if lang != src and text
        ]
    return units


__all__ = [
    "TmxUnit",
    "build_tmx",
    "export_tmx",
    "human_translations",
    "human_units",
    "read_tmx",
    "validate_tmx",
]
