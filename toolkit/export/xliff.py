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
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit import __version__
from toolkit.document import Provenance, Speech, TranslatedSpeech
from toolkit.errors import InputError
from toolkit.export import paths

if TYPE_CHECKING:
    from lxml import etree

    from toolkit.translate.glossary import Glossary
    from toolkit.translate.tm import Match, TranslationMemory

XLIFF20_NS = "urn:oasis:names:tc:xliff:document:2.0"
XLIFF12_NS = "urn:oasis:names:tc:xliff:document:1.2"
XML_NS = "http://www.w3.org/XML/1998/namespace"
VERSIONS: tuple[str, ...] = ("2.0", "1.2")
"""XLIFF versions written and read."""

STATES: tuple[str, ...] = ("initial", "translated", "reviewed", "final")
"""XLIFF 2.0 segment states, in order of progress; the vocabulary used throughout."""

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"
SCHEMAS = {
    "2.0": SCHEMA_DIR / "xliff_core_2.0.xsd",
    "1.2": SCHEMA_DIR / "xliff-core-1.2-strict.xsd",
}
_XML_XSD = SCHEMA_DIR / "informativeCopiesOf3rdPartySchemas" / "w3c" / "xml.xsd"

_STATE_TO_12 = {
    "initial": "needs-review-translation",
    "translated": "translated",
    "reviewed": "signed-off",
    "final": "final",
}
_STATE_FROM_12 = {
    "new": "initial",
    "needs-translation": "initial",
    "needs-adaptation": "initial",
    "needs-l10n": "initial",
    # "needs review" is how a tool hands over machine or fuzzy output: not a translator's word.
    "needs-review-translation": "initial",
    "needs-review-adaptation": "initial",
    "needs-review-l10n": "initial",
    "translated": "translated",
    "signed-off": "reviewed",
    "final": "final",
}
_NATIVE_CODES_12 = {"ph", "bpt", "ept", "it"}
"""1.2 inline elements whose content is native code, not text."""


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
    if provenance.engine == "post-edited":
        return provenance.state if provenance.state in STATES else "translated"
    if provenance.engine in ("reference", "tm"):
        return "translated"
    return "initial"


def describe_provenance(provenance: Provenance) -> str:
    """One line for the translator: where the current target came from."""
    engine = provenance.engine
    if engine == "post-edited":
        return f"post-edited by a translator (state {provenance.state or 'translated'})"
    if engine == "reference":
        score = f", alignment score {provenance.score:.2f}" if provenance.score is not None else ""
        return f"human reference translation {Path(provenance.model or '').name}{score}"
    if engine == "tm":
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
            qualifier = {"tm": "exact-match", "reference": None, "post-edited": None}.get(
                prov.engine, "leveraged-mt"
            )
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


# --- validation ------------------------------------------------------------------------------


@cache
def _schema(version: str) -> Any:
    from lxml import etree

    class LocalSchemas(etree.Resolver):
        """Serve the W3C xml.xsd from the vendored copy: validation never uses the network."""

        def resolve(self, url: str, pubid: str, context: Any) -> Any:
            if url.rsplit("/", 1)[-1] == "xml.xsd":
                return self.resolve_filename(str(_XML_XSD), context)
            return None

    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(LocalSchemas())
    return etree.XMLSchema(etree.parse(str(SCHEMAS[version]), parser))


def validate_xliff(data: bytes, version: str) -> list[str]:
    """Errors of ``data`` against the OASIS XLIFF ``version`` schema ([] when valid)."""
    from lxml import etree

    schema = _schema(version)
    document = etree.fromstring(data, etree.XMLParser(no_network=True, resolve_entities=False))
    if schema.validate(document):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]


# --- reading ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class XliffUnit:
    """One unit read back from an XLIFF file."""

    id: str
    """The unit's ``id`` (a sentence ID)."""
    source: str
    """Its source text (inline markup flattened)."""
    target: str
    """Its target text ('' when absent)."""
    state: str
    """Its state in the XLIFF 2.0 vocabulary (1.2 states mapped)."""


@dataclass(frozen=True)
class XliffDocument:
    """An XLIFF file read back."""

    path: Path
    """The file."""
    version: str
    """``2.0`` or ``1.2``."""
    original: str
    """The ``original`` of its ``<file>``: which source it was exported from."""
    src_lang: str
    """Source language."""
    tgt_lang: str
    """Target language."""
    units: tuple[XliffUnit, ...] = field(default=())
    """Units in document order."""

    def by_id(self) -> dict[str, XliffUnit]:
        """``{unit id: unit}``."""
        return {u.id: u for u in self.units}


def _fail(path: Path, message: str, hint: str | None = None) -> InputError:
    return InputError(
        f"{path.name}: {message}",
        hint or "Export a fresh file with `toolkit xliff export` and carry the edits over.",
    )


def _plain_text(element: Any, skip: set[str]) -> str:
    """Text of ``element`` with inline markup flattened; native-code elements skipped."""
    parts: list[str] = [element.text or ""]
    for child in element:
        local = child.tag.rsplit("}", 1)[-1] if isinstance(child.tag, str) else ""
        if local == "cp" and child.get("hex"):
            parts.append(chr(int(child.get("hex"), 16)))
        elif local and local not in skip:
            parts.append(_plain_text(child, skip))
        parts.append(child.tail or "")
    return "".join(parts)


def _primary(lang: str | None) -> str:
    return (lang or "").strip().replace("_", "-").split("-")[0].lower()


def read_xliff(path: Path) -> XliffDocument:
    """Read an XLIFF 2.0 or 1.2 file written by any tool; refuse what cannot be trusted."""
    from lxml import etree

    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"File not found: {path}", "Check the path.") from None
    parser = etree.XMLParser(no_network=True, resolve_entities=False, huge_tree=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise _fail(
            path,
            f"not well-formed XML ({exc.msg}).",
            "Save the file again from the CAT tool as XLIFF 2.0 or 1.2.",
        ) from None
    namespace, _, local = str(root.tag).rpartition("}")
    namespace = namespace.lstrip("{")
    version = (root.get("version") or "").strip()
    if local != "xliff":
        raise _fail(path, f"not an XLIFF file (its root element is <{local}>).")
    if not version:
        raise _fail(path, "the <xliff> element has no version.")
    if _version_tuple(version) > (2, 0):
        raise _fail(
            path,
            f"XLIFF {version} is newer than this toolkit reads (XLIFF 2.0 and 1.2).",
            "Save it as XLIFF 2.0 or 1.2 in the CAT tool.",
        )
    if version == "2.0" and namespace == XLIFF20_NS:
        return _read20(path, root)
    if version == "1.2" and namespace == XLIFF12_NS:
        return _read12(path, root)
    raise _fail(
        path,
        f"XLIFF {version} ({namespace or 'no namespace'}) is not supported: "
        "this toolkit reads XLIFF 2.0 and 1.2.",
        "Save it as XLIFF 2.0 or 1.2 in the CAT tool.",
    )


def _version_tuple(version: str) -> tuple[int, ...]:
    try:
        return tuple(int(p) for p in version.split("."))
    except ValueError:
        return (99,)


def _single_file(path: Path, root: Any, ns: str) -> Any:
    files = root.findall(f"{{{ns}}}file")
    if len(files) != 1:
        raise _fail(path, f"holds {len(files)} <file> elements; expected exactly one speech.")
    return files[0]


def _read20(path: Path, root: Any) -> XliffDocument:
    ns = XLIFF20_NS
    file_el = _single_file(path, root, ns)
    units: list[XliffUnit] = []
    for unit in file_el.iter(f"{{{ns}}}unit"):
        segments = unit.findall(f"{{{ns}}}segment")
        sources, targets, states = [], [], []
        for segment in segments:
            source = segment.find(f"{{{ns}}}source")
            target = segment.find(f"{{{ns}}}target")
            sources.append(_plain_text(source, set()) if source is not None else "")
            targets.append(_plain_text(target, set()) if target is not None else "")
            states.append(segment.get("state") or "initial")
        units.append(
            XliffUnit(
                id=unit.get("id") or "",
                source=" ".join(s.strip() for s in sources if s.strip()),
                target=" ".join(t.strip() for t in targets if t.strip()),
                # several segments (a tool split the unit): the least advanced state counts
                state=min(states, key=STATES.index) if states else "initial",
            )
        )
    return XliffDocument(
        path=path,
        version="2.0",
        original=file_el.get("original") or "",
        src_lang=_primary(root.get("srcLang")),
        tgt_lang=_primary(root.get("trgLang")),
        units=tuple(units),
    )


def _read12(path: Path, root: Any) -> XliffDocument:
    ns = XLIFF12_NS
    file_el = _single_file(path, root, ns)
    units: list[XliffUnit] = []
    for unit in file_el.iter(f"{{{ns}}}trans-unit"):
        source = unit.find(f"{{{ns}}}source")
        target = unit.find(f"{{{ns}}}target")
        target_text = _plain_text(target, _NATIVE_CODES_12).strip() if target is not None else ""
        raw_state = target.get("state") if target is not None else None
        if raw_state is None:
            # 1.2 has no default state: a target a tool returned without one is its translation
            state = "translated" if target_text else "initial"
        else:
            state = _STATE_FROM_12.get(raw_state, "initial")
        if unit.get("approved") == "yes" and target_text and state in ("initial", "translated"):
            state = "reviewed"
        units.append(
            XliffUnit(
                id=unit.get("id") or "",
                source=(
                    _plain_text(source, _NATIVE_CODES_12).strip() if source is not None else ""
                ),
                target=target_text,
                state=state,
            )
        )
    return XliffDocument(
        path=path,
        version="1.2",
        original=file_el.get("original") or "",
        src_lang=_primary(file_el.get("source-language")),
        tgt_lang=_primary(file_el.get("target-language")),
        units=tuple(units),
    )


def check_against_speech(document: XliffDocument, speech: Speech) -> None:
    """Refuse ``document`` unless it is a complete, unchanged export of ``speech``."""
    from toolkit.languages import get_language
    from toolkit.translate.tm import normalise

    path = document.path
    expected = Path(speech.source).name
    if document.original and document.original != expected:
        raise _fail(
            path,
            f"this file is for {document.original}, not for {expected}.",
            "Import it with --source pointing at the speech it was exported from.",
        )
    if document.src_lang != speech.lang:
        raise _fail(
            path,
            f"its source language is {document.src_lang or 'missing'}, "
            f"but the speech is in {speech.lang}.",
        )
    if not document.tgt_lang:
        raise _fail(path, "it names no target language.")
    target = get_language(document.tgt_lang).code  # raises for a non-UN language
    if target == speech.lang:
        raise _fail(path, f"its target language is the speech's own language ({target}).")
    ids = [u.id for u in document.units]
    if any(not i for i in ids):
        raise _fail(path, f"{sum(1 for i in ids if not i)} unit(s) have no id.")
    duplicated = [i for i, n in Counter(ids).items() if n > 1]
    if duplicated:
        raise _fail(path, f"duplicated unit IDs: {_list(duplicated)}.")
    sentences = {s.id: s.text for s in speech.sentences()}
    unknown = [i for i in ids if i not in sentences]
    if unknown:
        raise _fail(path, f"unit IDs that are not sentences of {speech.slug}: {_list(unknown)}.")
    missing = [i for i in sentences if i not in set(ids)]
    if missing:
        raise _fail(path, f"missing units {_list(missing)} (every sentence must come back).")
    changed = [u.id for u in document.units if normalise(u.source) != normalise(sentences[u.id])]
    if changed:
        raise _fail(path, f"the English of {_list(changed)} changed after export.")


def _list(ids: Iterable[str], limit: int = 8) -> str:
    items = list(ids)
    shown = ", ".join(items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


__all__ = [
    "ExportUnit",
    "FileInfo",
    "STATES",
    "VERSIONS",
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
