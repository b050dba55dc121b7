"""A translator's post-edit of a speech: imported from XLIFF, kept under ``source/``, used first.

**Where it lives.** ``toolkit xliff import FILE.xlf`` stores the translator's work for one
language as ``<slug>.<lang>.xlf`` beside the English source (``source/<slug>.<lang>.xlf``):
an XLIFF 2.0 file written by the toolkit, one unit per sentence with the English, the
translator's target and state. It sits next to the reference translation
(``<slug>.<lang>.md``) because it is the same kind of thing — a human translation of that
speech, to be kept in version control — and because XLIFF is what any CAT tool reopens.
A later import merges into it: units the new file leaves ``initial`` never replace a stored
post-edit, so no translator's edit is lost.

**How it is used.** :func:`apply_post_edit` runs on every translation of the speech, after
the reference or the machine chain: a unit whose state is ``translated``, ``reviewed`` or
``final`` replaces the sentence with provenance ``post-edited`` and the translator's state
(unless it is exactly the target that was exported, with the state it was exported with:
then nothing changed). A unit left ``initial`` or empty keeps the current output, flagged
``not-post-edited`` when that output is machine translation; a unit whose English no longer
matches the speech keeps the current output and is flagged ``post-edit-stale``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from toolkit.document import (
    Provenance,
    Speech,
    TranslatedParagraph,
    TranslatedSentence,
    TranslatedSpeech,
)
from toolkit.export import paths
from toolkit.languages import get_language
from toolkit.provenance import HUMAN_ENGINES, MEMORY_ENGINE, POST_EDITED

ENGINE = POST_EDITED
"""Provenance engine of a sentence taken from a post-edit."""

SUFFIX = ".xlf"
"""A post-edit is ``<slug>.<lang>.xlf`` beside the source."""

UNTRANSLATED_FLAG = "not-post-edited"
"""Flag on a sentence whose unit the translator left ``initial`` or empty."""

SETTLED_ENGINES = HUMAN_ENGINES | {MEMORY_ENGINE}
"""Engines of a person's translation or an exact memory match (a unit left untranslated
over them is not flagged: only machine output awaits the translator)."""

STALE_FLAG = "post-edit-stale"
"""Flag on a sentence whose English changed after its post-edit was imported."""


def post_edit_path(speech: Speech, lang: str) -> Path:
    """``<folder of the source>/<slug>.<lang>.xlf``."""
    return Path(speech.source).parent / f"{speech.slug}.{get_language(lang).code}{SUFFIX}"


@dataclass(frozen=True)
class PostEditUnit:
    """A translator's version of one sentence."""

    id: str
    """Sentence ID."""
    source: str
    """The English it was made for."""
    target: str
    """The translator's text ('' when left empty)."""
    state: str
    """``initial``, ``translated``, ``reviewed`` or ``final``."""


@dataclass(frozen=True)
class PostEdit:
    """The stored post-edit of one speech in one language."""

    path: Path
    """``source/<slug>.<lang>.xlf``."""
    sha256: str
    """SHA-256 of the file (part of build keys and provenance)."""
    lang: str
    """Target language."""
    units: Mapping[str, PostEditUnit]
    """By sentence ID."""


def load_post_edit(speech: Speech, lang: str) -> PostEdit | None:
    """The stored post-edit for ``lang``, or None when there is none."""
    from toolkit.export.xliff import read_xliff

    path = post_edit_path(speech, lang)
    if not path.is_file():
        return None
    document = read_xliff(path)
    units = {u.id: PostEditUnit(u.id, u.source, u.target, u.state) for u in document.units}
    return PostEdit(path, paths.sha256_file(path), get_language(lang).code, units)


def post_edit_identity(speech: Speech, lang: str) -> str | None:
    """SHA-256 of the stored post-edit (None: none): what it adds to a translation's key."""
    path = post_edit_path(speech, lang)
    return paths.sha256_file(path) if path.is_file() else None


def apply_post_edit(translated: TranslatedSpeech, post_edit: PostEdit | None) -> TranslatedSpeech:
    """``translated`` with the post-edit's confirmed units in place (see the module doc)."""
    from toolkit.export.xliff import state_for
    from toolkit.translate.tm import normalise

    if post_edit is None:
        return translated
    used = 0
    signature = f"post-edited|{post_edit.path.name}|sha256:{post_edit.sha256[:12]}"

    def revise(sentence: TranslatedSentence) -> TranslatedSentence:
        nonlocal used
        unit = post_edit.units.get(sentence.id)
        if unit is None:
            return sentence
        prov = sentence.provenance
        if normalise(unit.source) != normalise(sentence.source):
            return replace(sentence, provenance=replace(prov, flags=(*prov.flags, STALE_FLAG)))
        if unit.state == "initial" or not unit.target.strip():
            if prov.engine in SETTLED_ENGINES:  # a human translation: nothing left to review
                return sentence
            return replace(
                sentence, provenance=replace(prov, flags=(*prov.flags, UNTRANSLATED_FLAG))
            )
        if unit.target == sentence.text and unit.state == state_for(prov, sentence.text):
            return sentence  # exported as it was and confirmed as it was: nothing changed
        used += 1
        return replace(
            sentence,
            text=unit.target,
            provenance=Provenance(
                engine=ENGINE,
                model=str(post_edit.path),
                model_version=post_edit.sha256,
                signature=signature,
                state=unit.state,
            ),
        )

    paragraphs = tuple(
        TranslatedParagraph(p.id, p.kind, tuple(revise(s) for s in p.sentences))
        for p in translated.paragraphs
    )
    applied = {"path": str(post_edit.path), "sha256": post_edit.sha256, "used": used}
    provenance = translated.provenance
    if provenance is not None:
        provenance = replace(provenance, post_edit=applied)
    notice = translated.notice
    if used:
        addition = f"{used} sentence(s) post-edited by a translator ({post_edit.path.name})."
        notice = f"{notice} {addition}" if notice else addition
    return replace(translated, paragraphs=paragraphs, provenance=provenance, notice=notice)


def with_post_edit(translated: TranslatedSpeech, enabled: bool = True) -> TranslatedSpeech:
    """``translated`` with the stored post-edit of its speech and language applied, if any."""
    if not enabled:
        return translated
    return apply_post_edit(translated, load_post_edit(translated.speech, translated.lang))


def human_identity(speech: Speech, lang: str, machine: bool, enabled: bool = True) -> dict:
    """What the post-edit and (for machine translation) the memory add to a build key.

    ``{}`` when neither exists, so keys of builds without them stay what they were.
    """
    if not enabled:
        return {}
    from toolkit.translate.tm import memory_identity

    identity: dict[str, str] = {}
    if post_edit := post_edit_identity(speech, lang):
        identity["post_edit"] = post_edit
    if machine and (memory := memory_identity(speech.lang, lang)):
        identity["memory"] = memory
    return identity


@dataclass(frozen=True)
class ImportResult:
    """What ``toolkit xliff import`` stored."""

    path: Path
    """Where the post-edit was stored."""
    lang: str
    """Its language."""
    states: Mapping[str, int]
    """Units per state in the stored post-edit."""
    kept: tuple[str, ...]
    """IDs whose earlier post-edit was kept because the new file left them ``initial``."""
    changed: bool
    """False when the stored file already held exactly this."""


def import_post_edit(xliff_file: Path, speech: Speech) -> ImportResult:
    """Check ``xliff_file`` against ``speech`` and store it as the speech's post-edit.

    Raises :class:`InputError` (and changes nothing) for a file that is not a complete,
    unchanged export of ``speech``.
    """
    from toolkit.export.xliff import (
        ExportUnit,
        build_xliff,
        check_against_speech,
        file_info,
        read_xliff,
        validate_xliff,
    )

    document = read_xliff(xliff_file)
    check_against_speech(document, speech)
    lang = get_language(document.tgt_lang).code
    previous = load_post_edit(speech, lang)
    incoming = document.by_id()
    kept: list[str] = []
    units: list[ExportUnit] = []
    for paragraph in speech.paragraphs:
        for sentence in paragraph.sentences:
            returned = incoming[sentence.id]
            target, state = returned.target, returned.state
            old = previous.units.get(sentence.id) if previous else None
            if (
                old is not None
                and old.state != "initial"
                and old.target
                and state == "initial"
                and old.source == sentence.text
            ):
                target, state = old.target, old.state
                kept.append(sentence.id)
            units.append(
                ExportUnit(
                    id=sentence.id,
                    paragraph_id=paragraph.id,
                    kind=paragraph.kind,
                    source=sentence.text,
                    target=target,
                    state=state,
                )
            )
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    notes = (
        f"Post-edit of {speech.slug} into {lang}, imported from {xliff_file.name} "
        f"(XLIFF {document.version}) on {stamp}. Used by every build before the reference "
        "and machine translation.",
    )
    data = build_xliff(units, file_info(speech, lang, notes), "2.0")
    errors = validate_xliff(data, "2.0")
    if errors:
        raise RuntimeError(f"stored post-edit is not schema-valid: {errors[0]}")
    target_path = post_edit_path(speech, lang)
    changed = True
    if previous is not None and _units_of(previous) == [
        (u.id, u.source, u.target, u.state) for u in units
    ]:
        changed = False  # same content: keep the file (and its build key) as it is
    else:
        paths.write_bytes_atomic(target_path, data)
    states: dict[str, int] = {}
    for unit in units:
        states[unit.state] = states.get(unit.state, 0) + 1
    return ImportResult(target_path, lang, states, tuple(kept), changed)


def _units_of(post_edit: PostEdit) -> list[tuple[str, str, str, str]]:
    return [(u.id, u.source, u.target, u.state) for u in post_edit.units.values()]


__all__ = [
    "ENGINE",
    "ImportResult",
    "PostEdit",
    "PostEditUnit",
    "STALE_FLAG",
    "UNTRANSLATED_FLAG",
    "apply_post_edit",
    "human_identity",
    "import_post_edit",
    "load_post_edit",
    "post_edit_identity",
    "post_edit_path",
    "with_post_edit",
]
