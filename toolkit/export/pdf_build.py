"""What ``toolkit pdf INPUT`` does: render a translation JSON, or translate a source first.

A source INPUT (``.md``/``.txt`` or a Speech JSON) is segmented and translated into each
``--to`` language with :func:`toolkit.translate.translate_speech` (whose sentence cache
makes a repeated run cheap); the translation JSON is saved beside the PDF
(``OUT/<slug>/<slug>.<lang>.json``) so later steps can reuse it.
"""

from __future__ import annotations

from pathlib import Path

from toolkit.document import Speech, TranslatedSpeech, dumps
from toolkit.errors import InputError
from toolkit.export import paths
from toolkit.export.pdf import PdfOptions, PdfResult, write_pdf
from toolkit.languages import parse_language_list


def translations_for_input(
    input_path: Path, out: Path, to: str | None = None, engine: str = "auto"
) -> list[TranslatedSpeech]:
    """The TranslatedSpeech objects ``input_path`` stands for (translating when needed)."""
    from toolkit.pipeline import load_document

    document = load_document(input_path)
    if isinstance(document, TranslatedSpeech):
        if to is not None and document.lang not in parse_language_list(to):
            raise InputError(
                f"{input_path} is a translation into {document.lang!r}, not into {to!r}.",
                "Drop --to, or give the source speech to translate it into other languages.",
            )
        return [document]
    return [_translate(document, lang, out, engine) for lang in parse_language_list(to)]


def _translate(speech: Speech, lang: str, out: Path, engine: str) -> TranslatedSpeech:
    from toolkit.translate import TranslateOptions, translate_speech

    translated = translate_speech(speech, lang, TranslateOptions(engine=engine))
    paths.write_text_atomic(paths.translation_path(out, speech.slug, lang), dumps(translated))
    return translated


def pdfs_for_input(
    input_path: Path,
    out: Path,
    options: PdfOptions,
    *,
    to: str | None = None,
    engine: str = "auto",
) -> list[PdfResult]:
    """Render ``OUT/<slug>/<slug>.en-<lang>.pdf`` for each translation of ``input_path``."""
    results = []
    for translated in translations_for_input(input_path, out, to, engine):
        target = paths.pdf_path(
            out, translated.slug, translated.lang, translated.source_lang, options.layout
        )
        results.append(write_pdf(translated, target, options))
    return results


__all__ = ["pdfs_for_input", "translations_for_input"]
