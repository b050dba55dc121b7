"""What ``toolkit pdf INPUT`` does: the build's translation and PDF stages, run alone.

A translation JSON INPUT is rendered as it is. A source INPUT (``.md``/``.txt`` or a Speech
JSON) is first translated into each ``--to`` language by the translation stage, which saves
the translation JSON beside the PDF (``OUT/<slug>/<slug>.<lang>.json``) as the build does.
Both go through :mod:`toolkit.pipeline.language_stages`, so ``toolkit pdf X.fr.json`` writes
the same bytes as the build's ``en-fr.pdf``.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from toolkit.document import TranslatedSpeech
from toolkit.errors import InputError
from toolkit.export.pdf import PdfResult
from toolkit.options import BuildOptions, PdfOptions, TranslateOptions, target_languages


def translations_for_input(
    input_path: Path,
    out: Path,
    to: str | None = None,
    translate: TranslateOptions | None = None,
) -> list[TranslatedSpeech]:
    """The TranslatedSpeech objects ``input_path`` stands for (translating when needed)."""
    from toolkit.pipeline import load_document
    from toolkit.pipeline.language_stages import TranslationInputs, TranslationStage

    document = load_document(input_path)
    if isinstance(document, TranslatedSpeech):
        if to is not None and document.lang not in target_languages(to):
            raise InputError(
                f"{input_path} is a translation into {document.lang!r}, not into {to!r}.",
                "Drop --to, or give the source speech to translate it into other languages.",
            )
        return [document]
    options = BuildOptions(translate=translate or TranslateOptions())
    stage = TranslationStage()
    return [
        stage.run(TranslationInputs(document, lang), options, out)
        for lang in target_languages(to)
    ]


def pdfs_for_input(
    input_path: Path,
    out: Path,
    options: PdfOptions,
    *,
    to: str | None = None,
    translate: TranslateOptions | None = None,
) -> list[PdfResult]:
    """Render ``OUT/<slug>/<slug>.en-<lang>.pdf`` for each translation of ``input_path``."""
    from toolkit.document import dumps
    from toolkit.pipeline.language_stages import PdfInputs, PdfStage

    build_options = BuildOptions(pdf=options, translate=translate or TranslateOptions())
    results = []
    for translated in translations_for_input(input_path, out, to, translate):
        sha256 = hashlib.sha256(dumps(translated).encode("utf-8")).hexdigest()
        result = PdfStage().run(PdfInputs(translated, sha256), build_options, out)
        assert result is not None
        results.append(result)
    return results


__all__ = ["pdfs_for_input", "translations_for_input"]
