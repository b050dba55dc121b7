"""XLIFF 2.0 and 1.2 out and back: one unit per sentence, for a translator's CAT tool.

:func:`export_xliff` writes a :class:`~toolkit.document.TranslatedSpeech` as XLIFF: one
``<file>`` per speech (``original`` = the source file's name), one ``<group>`` per paragraph
(``id`` = ``p07``, ``name`` = its kind) and one ``<unit>`` (1.2: ``<trans-unit>``) per sentence,
its ``id`` the sentence ID (``p07s02``). Each unit carries the English source with glossary
terms marked (``<mrk type="term">``, 1.2 ``mtype="term"``), the current target and its state,
and notes: where the target came from (post-edit, reference, translation memory, which
machine model), quality flags, the approved terms, and a fuzzy translation-memory match.

States follow where the target came from (:func:`state_for`): machine output is ``initial``
(1.2 ``needs-review-translation``), a human reference or an exact memory match
``translated``, a post-edit keeps the translator's state. A fuzzy memory match is *offered*
as the target with ``initial`` state and its score in a note (1.2: also an ``<alt-trans>``
with ``match-quality``); it is never used as the translation unless the translator confirms it.

:func:`read_xliff` reads a file back from any tool, with the checks that refuse a file
for another speech, missing, unknown or duplicated IDs, English that changed after export,
malformed XML or an XLIFF version this toolkit does not read — each with a one-line message.

Both versions are checked against the OASIS schemas vendored in ``toolkit/schemas``
(:func:`validate_xliff`).

This module writes; reading and checking an import live in :mod:`toolkit.export.xliff_read`
and the shared vocabulary and schema validation in :mod:`toolkit.export.xliff_schema`. Both
are re-exported here, the module the rest of the toolkit imports from.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit import __version__
from toolkit.document import Provenance, Speech, TranslatedSpeech
from toolkit.errors import InputError
from toolkit.export import paths
from toolkit.export.xliff_read import (
    XliffDocument,
    XliffUnit,
    check_against_speech,
    read_xliff,
)
from toolkit.export.xliff_schema import (
    SCHEMA_DIR,
    SCHEMAS,
    STATES,
    VERSIONS,
    XLIFF12_NS,
    XLIFF20_NS,
    XML_NS,
    validate_xliff,
)
from toolkit.provenance import MEMORY_ENGINE, POST_EDITED, REFERENCE_ENGINE

if TYPE_CHECKING:
    from lxml import etree

    from toolkit.translate.glossary import Glossary
    from toolkit.translate.tm import Match, TranslationMemory

_STATE_TO_12 = {
    "initial": "needs-review-translation",
    "translated": "translated",
    "reviewed": "signed-off",
    "final": "final",
}


def xliff_path(out: Path, slug: str, lang: str, source_lang: str = "en") -> Path:
    """``<out>/<slug>/<slug>.en-<lang>.xlf``."""
    return paths.speech_dir(out, slug) / f"{slug}.{source_lang}-{lang}.xlf"


# --- what goes into a unit -------------------------------------------------------------------


@dataclass(frozen=True)
class ExportUnit:
    """One sentence as it is written into the XLIFF file."""

    id: str
    """Sentence ID (``p07s02``)."""
    paragraph_id: str
    """Its paragraph's ID."""
    kind: str
    """Its paragraph's kind."""
    source: str
    """English text."""
    target: str
    """The target offered to the translator ('' when there is none)."""
    state: str
    """XLIFF 2.0 state (:data:`STATES`)."""
    notes: tuple[tuple[str, str], ...] = ()
    """``(category, text)`` notes."""
    terms: tuple[tuple[int, int, str], ...] = ()
    """Glossary terms in ``source``: ``(start, end, approved target term)``."""
    fuzzy: Match | None = None
    """A fuzzy memory match offered as the target."""
    machine_text: str | None = None
    """The machine output the fuzzy match replaced as target (kept in a note)."""
    qualifier: str | None = None
    """1.2 ``state-qualifier`` (``leveraged-mt``, ``fuzzy-match``, ``exact-match``…)."""


def state_for(provenance: Provenance, text: str) -> str:
    """The XLIFF state of a target with this provenance."""
    if not text:
        return "initial"
    if provenance.engine == POST_EDITED:
        return provenance.state if provenance.state in STATES else "translated"
    if provenance.from_reference or provenance.engine == MEMORY_ENGINE:
        return "translated"
    return "initial"


def describe_provenance(provenance: Provenance) -> str:
    """One line for the translator: where the current target came from."""
    engine = provenance.engine
    if engine == POST_EDITED:
        return f"post-edited by a translator (state {provenance.state or 'translated'})"
    if provenance.from_reference:
        score = f", alignment score {provenance.score:.2f}" if provenance.score is not None else ""
        return f"human reference translation {Path(provenance.model or '').name}{score}"
    if engine == MEMORY_ENGINE:
        return f"translation memory, exact match ({provenance.model or provenance.signature})"
    model = " ".join(p for p in (provenance.model, provenance.model_version) if p)
    return f"machine translation: {engine}" + (f" {model}" if model else "")


def export_units(
    translated: TranslatedSpeech,
    *,
    glossary: Glossary | None = None,
    memory: TranslationMemory | None = None,
    fuzzy_threshold: float | None = None,
) -> list[ExportUnit]:
    """The units of ``translated`` with their states, notes, terms and fuzzy matches."""
    from toolkit.translate.tm import FUZZY_THRESHOLD

    threshold = FUZZY_THRESHOLD if fuzzy_threshold is None else fuzzy_threshold
    lang, src = translated.lang, translated.source_lang
    units: list[ExportUnit] = []
    for paragraph in translated.paragraphs:
        for sentence in paragraph.sentences:
            prov = sentence.provenance
            state = state_for(prov, sentence.text)
            notes: list[tuple[str, str]] = [("provenance", describe_provenance(prov))]
            if prov.flags:
                notes.append(("flags", "check: " + ", ".join(prov.flags)))
            terms: list[tuple[int, int, str]] = []
            if glossary is not None:
                found = glossary.find(sentence.source)
                for start, end, entry in found:
                    terms.append((start, end, entry.target(lang)))
                if found:
                    approved = "; ".join(
                        dict.fromkeys(f"{e.en} = {e.target(lang)}" for _, _, e in found)
                    )
                    notes.append(("terminology", f"approved terms: {approved}"))
            target, fuzzy, machine_text = sentence.text, None, None
            qualifier = {
                MEMORY_ENGINE: "exact-match",
                REFERENCE_ENGINE: None,
                POST_EDITED: None,
            }.get(prov.engine, "leveraged-mt")
            if state == "initial" and memory is not None:
                fuzzy = memory.fuzzy(sentence.source, src, lang, threshold)
                if fuzzy is not None:
                    machine_text, target, qualifier = sentence.text, fuzzy.target, "fuzzy-match"
                    origin = f" ({fuzzy.origin})" if fuzzy.origin else ""
                    notes.append(
                        (
                            "tm-fuzzy",
                            f"target is a {fuzzy.percent}% fuzzy match from the translation "
                            f"memory{origin} for: {fuzzy.source}",
                        )
                    )
                    if machine_text:
                        notes.append(("machine-translation", machine_text))
            units.append(
                ExportUnit(
                    id=sentence.id,
                    paragraph_id=paragraph.id,
                    kind=paragraph.kind,
                    source=sentence.source,
                    target=target,
                    state=state,
                    notes=tuple(notes),
                    terms=tuple(terms),
                    fuzzy=fuzzy,
                    machine_text=machine_text,
                    qualifier=qualifier if target else None,
                )
            )
    return units


# --- writing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class FileInfo:
    """What identifies the speech and the language pair of an XLIFF file."""

    original: str
    """The source file's name (``<slug>.en.md``): which speech the file is for."""
    src_lang: str
    """Source language."""
    tgt_lang: str
    """Target language."""
    notes: tuple[str, ...] = ()
    """File-level notes."""


def file_info(speech: Speech, lang: str, notes: Sequence[str] = ()) -> FileInfo:
    """The :class:`FileInfo` for ``speech`` into ``lang``."""
    return FileInfo(Path(speech.source).name, speech.lang, lang, tuple(notes))


def _marked(
    parent: etree._Element, text: str, terms: Sequence[tuple[int, int, str]], make_mrk: Any
) -> None:
    """Fill ``parent`` with ``text``, wrapping each term span in the element ``make_mrk`` makes."""
    position = 0
    last: etree._Element | None = None
    parent.text = ""
    for number, (start, end, value) in enumerate(sorted(terms), start=1):
        if start < position:
            continue
        chunk = text[position:start]
        if last is None:
            parent.text = chunk
        else:
            last.tail = chunk
        last = make_mrk(parent, number, value)
        last.text = text[start:end]
        position = end
    if last is None:
        parent.text = text[position:]
    else:
        last.tail = text[position:]


def build_xliff(units: Sequence[ExportUnit], info: FileInfo, version: str = "2.0") -> bytes:
    """The XLIFF document for ``units`` (UTF-8 bytes, with an XML declaration)."""
    from lxml import etree

    if version not in VERSIONS:
        raise InputError(f"Unknown XLIFF version {version!r}.", "Use --version 2.0 or 1.2.")
    groups: dict[str, list[ExportUnit]] = {}
    for unit in units:
        groups.setdefault(unit.paragraph_id, []).append(unit)
    root = _build20(etree, groups, info) if version == "2.0" else _build12(etree, groups, info)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def _build20(etree: Any, groups: dict[str, list[ExportUnit]], info: FileInfo) -> Any:
    def q(tag: str) -> str:
        return f"{{{XLIFF20_NS}}}{tag}"

    root = etree.Element(
        q("xliff"),
        nsmap={None: XLIFF20_NS},
        version="2.0",
        srcLang=info.src_lang,
        trgLang=info.tgt_lang,
    )
    file_el = etree.SubElement(root, q("file"), id="f1", original=info.original, canResegment="no")
    if info.notes:
        notes_el = etree.SubElement(file_el, q("notes"))
        for text in info.notes:
            etree.SubElement(notes_el, q("note"), category="toolkit").text = text
    rtl = info.tgt_lang == "ar"
    for paragraph_id, members in groups.items():
        group = etree.SubElement(file_el, q("group"), id=paragraph_id, name=members[0].kind)
        for unit in members:
            unit_el = etree.SubElement(group, q("unit"), id=unit.id)
            if unit.notes:
                notes_el = etree.SubElement(unit_el, q("notes"))
                for category, text in unit.notes:
                    etree.SubElement(notes_el, q("note"), category=category).text = text
            segment = etree.SubElement(unit_el, q("segment"), state=unit.state)
            if unit.fuzzy is not None:
                segment.set("subState", f"toolkit:fuzzy-{unit.fuzzy.percent}")
            source = etree.SubElement(segment, q("source"))

            def mrk(parent: Any, number: int, value: str) -> Any:
                return etree.SubElement(
                    parent, q("mrk"), id=f"t{number}", type="term", translate="yes", value=value
                )

            _marked(source, unit.source, unit.terms, mrk)
            if unit.target or unit.state != "initial":
                target = etree.SubElement(segment, q("target"))
                target.text = unit.target
        if rtl:
            group.set("trgDir", "rtl")
    return root


def _build12(etree: Any, groups: dict[str, list[ExportUnit]], info: FileInfo) -> Any:
    def q(tag: str) -> str:
        return f"{{{XLIFF12_NS}}}{tag}"

    root = etree.Element(q("xliff"), nsmap={None: XLIFF12_NS}, version="1.2")
    file_el = etree.SubElement(
        root,
        q("file"),
        original=info.original,
        datatype="plaintext",
        **{"source-language": info.src_lang, "target-language": info.tgt_lang},
    )
    header = etree.SubElement(file_el, q("header"))
    etree.SubElement(
        header,
        q("tool"),
        **{"tool-id": "toolkit", "tool-name": "toolkit", "tool-version": __version__},
    )
    for text in info.notes:
        etree.SubElement(header, q("note"), annotates="general", **{"from": "toolkit"}).text = text
    body = etree.SubElement(file_el, q("body"))
    for paragraph_id, members in groups.items():
        group = etree.SubElement(body, q("group"), id=paragraph_id, resname=members[0].kind)
        for unit in members:
            attrs = {"id": unit.id, f"{{{XML_NS}}}space": "preserve"}
            if unit.state in ("reviewed", "final"):
                attrs["approved"] = "yes"
            trans = etree.SubElement(group, q("trans-unit"), **attrs)
            source = etree.SubElement(trans, q("source"))

            def mrk(parent: Any, number: int, value: str) -> Any:
                return etree.SubElement(
                    parent, q("mrk"), mtype="term", mid=f"t{number}", comment=value
                )

            _marked(source, unit.source, unit.terms, mrk)
            if unit.target:
                state = _STATE_TO_12[unit.state]
                target = etree.SubElement(trans, q("target"), state=state)
                if unit.qualifier:
                    target.set("state-qualifier", unit.qualifier)
                target.text = unit.target
            elif unit.state == "initial":
                etree.SubElement(trans, q("target"), state="needs-translation")
            if unit.fuzzy is not None:
                alt = etree.SubElement(
                    trans,
                    q("alt-trans"),
                    origin="toolkit-tm",
                    **{"match-quality": f"{unit.fuzzy.percent}%", "alttranstype": "proposal"},
                )
                etree.SubElement(alt, q("source")).text = unit.fuzzy.source
                etree.SubElement(alt, q("target")).text = unit.fuzzy.target
            if unit.machine_text:
                alt = etree.SubElement(
                    trans, q("alt-trans"), origin="toolkit-mt", alttranstype="proposal"
                )
                etree.SubElement(alt, q("source")).text = unit.source
                etree.SubElement(alt, q("target")).text = unit.machine_text
            for category, text in unit.notes:
                etree.SubElement(trans, q("note"), **{"from": f"toolkit-{category}"}).text = text
    return root


def export_xliff(
    translated: TranslatedSpeech,
    out_file: Path,
    *,
    version: str = "2.0",
    glossary: Glossary | None = None,
    memory: TranslationMemory | None = None,
    fuzzy_threshold: float | None = None,
) -> list[ExportUnit]:
    """Write ``translated`` as XLIFF to ``out_file`` (atomically, schema-checked first)."""
    units = export_units(
        translated, glossary=glossary, memory=memory, fuzzy_threshold=fuzzy_threshold
    )
    notes = (
        f"speech {translated.slug}; source sha256 {translated.speech.source_sha256}; "
        f"exported by toolkit {__version__}. Unit IDs are the speech's sentence IDs: keep them. "
        "Set a unit's state to translated (or reviewed/final) to have your target used.",
    )
    data = build_xliff(units, file_info(translated.speech, translated.lang, notes), version)
    errors = validate_xliff(data, version)
    if errors:  # a bug in the writer: never hand a translator an invalid file
        raise RuntimeError(f"XLIFF {version} output is not schema-valid: {errors[0]}")
    paths.write_bytes_atomic(out_file, data)
    return units


__all__ = [
    "SCHEMAS",
    "SCHEMA_DIR",
    "ExportUnit",
    "FileInfo",
    "STATES",
    "VERSIONS",
    "XLIFF12_NS",
    "XLIFF20_NS",
    "XML_NS",
    "XliffDocument",
    "XliffUnit",
    "build_xliff",
    "check_against_speech",
    "describe_provenance",
    "export_units",
    "export_xliff",
    "file_info",
    "read_xliff",
    "state_for",
    "validate_xliff",
    "xliff_path",
]
