"""Checks a translation or speech JSON file must pass before it is used (see load_json_document).

A file in a format this toolkit does not read, or a translation that does not match its
speech 1:1 (missing, added, moved or repeated IDs), is refused with an :class:`InputError`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from toolkit.document import (
    OLD_TRANSLATION_FORMATS,
    SPEECH_FORMAT,
    TRANSLATION_FORMAT,
    TranslatedSpeech,
)
from toolkit.errors import InputError

_READABLE_FORMATS = (SPEECH_FORMAT, TRANSLATION_FORMAT, *OLD_TRANSLATION_FORMATS)
"""The ``format`` values :func:`load_json_document` reads (version-1 translations too)."""


def check_format(path: Path, data: Mapping[str, Any]) -> None:
    """InputError unless ``data``'s ``format`` is one this toolkit reads (or absent)."""
    form = data.get("format")
    if form is None or form in _READABLE_FORMATS:
        return
    family, _, version = str(form).rpartition("/")
    known = {f.rpartition("/")[0] for f in _READABLE_FORMATS}
    if family in known:
        raise InputError(
            f"{path} is in format {form!r}, which this toolkit (reads "
            f"{', '.join(f for f in _READABLE_FORMATS if f.startswith(family))}) cannot read.",
            "It was written by a newer toolkit: upgrade the toolkit, or make the file again "
            "with this one (`toolkit translate` / `toolkit segment --json`).",
        )
    raise InputError(
        f"{path} is not a toolkit JSON document (format {form!r}).",
        "Give a JSON file written by `toolkit segment --json` or `toolkit translate`.",
    )


def _first_duplicate(ids: Iterable[str]) -> str | None:
    seen: set[str] = set()
    for item in ids:
        if item in seen:
            return item
        seen.add(item)
    return None


def translation_problem(translated: TranslatedSpeech) -> str | None:
    """What keeps ``translated`` from matching its speech 1:1, or None when it does.

    Every later artefact (PDF rows, audio cues, manifest) is keyed by the speech's paragraph
    and sentence IDs: the translation must have exactly the speech's paragraphs, in order,
    each with exactly its sentences, in order — none missing, none added, none twice.
    """
    speech = translated.speech
    if not speech.paragraphs:
        return "its speech has no paragraphs"
    if not translated.paragraphs:
        return f"it has no paragraphs, but its speech has {len(speech.paragraphs)}"
    duplicate = _first_duplicate(p.id for p in translated.paragraphs)
    if duplicate is not None:
        return f"paragraph {duplicate} appears twice"
    duplicate = _first_duplicate(s.id for s in translated.sentences())
    if duplicate is not None:
        return f"sentence {duplicate} appears twice"
    expected = [p.id for p in speech.paragraphs]
    found = [p.id for p in translated.paragraphs]
    if found != expected:
        missing = [i for i in expected if i not in found]
        unknown = [i for i in found if i not in expected]
        if unknown:
            return f"paragraph {unknown[0]} is not in its speech"
        if missing:
            return f"paragraph {missing[0]} of its speech is missing"
        return "its paragraphs are not in the speech's order"
    source_sentences = {s.id: p.id for p in speech.paragraphs for s in p.sentences}
    for paragraph in translated.paragraphs:  # first what is there but should not be
        for sentence in paragraph.sentences:
            home = source_sentences.get(sentence.id)
            if home is None:
                return f"sentence {sentence.id} (paragraph {paragraph.id}) is not in its speech"
            if home != paragraph.id:
                return (
                    f"sentence {sentence.id} is under paragraph {paragraph.id}, "
                    f"but belongs to {home}"
                )
    for source, paragraph in zip(speech.paragraphs, translated.paragraphs, strict=True):
        expected = [s.id for s in source.sentences]
        found = [s.id for s in paragraph.sentences]
        if found == expected:
            continue
        missing = [i for i in expected if i not in found]
        if missing:
            return f"sentence {missing[0]} of its speech is missing"
        return f"the sentences of paragraph {paragraph.id} are not in the speech's order"
    return None


def check_translation(translated: TranslatedSpeech, path: Path | str) -> TranslatedSpeech:
    """Return ``translated`` if it matches its speech 1:1; else raise :class:`InputError`."""
    problem = translation_problem(translated)
    if problem is not None:
        raise InputError(
            f"{path} does not match the speech it translates: {problem}.",
            "Every paragraph and sentence ID of the speech must appear once, in order; "
            "undo the hand edit, or make the file again with `toolkit translate`.",
        )
    return translated


__all__ = ["check_format", "check_translation", "translation_problem"]
