"""Reading an XLIFF 2.0 or 1.2 file back from a translator's tool, and checking it.

:func:`read_xliff` parses a file from any CAT tool into an :class:`XliffDocument` (inline
markup flattened, 1.2 states mapped to the 2.0 vocabulary) and refuses malformed XML, a
file that is not XLIFF, or a version this toolkit does not read. :func:`check_against_speech`
then refuses a file for another speech or language pair, and missing, unknown or duplicated
unit IDs or English that changed after export — each with a one-line message.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit.document import Speech
from toolkit.errors import InputError
from toolkit.export.xliff_schema import STATES, XLIFF12_NS, XLIFF20_NS

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
