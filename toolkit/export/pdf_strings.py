"""Every fixed string the PDFs print, in the six UN languages, in one table.

Wording follows UN document conventions where there is one ("Original: English" is
"Original : anglais", "Язык оригинала: английский", "الأصل: بالإنكليزية", "原件：英文").
Month names are those of UN documents: Arabic gives both the Levantine and the
Egyptian-Maghrebi names ("أيار/مايو"), Russian uses the genitive ("26 мая 2021 года").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from toolkit.languages import get_language
from toolkit.provenance import TranslationProvenance


@dataclass(frozen=True)
class PdfStrings:
    """Fixed strings of the PDF in one language. ``{…}`` fields are filled by ``str.format``."""

    original: str
    """The "Original: English" line of the masthead."""
    machine_notice: str
    """Notice for machine translation; fields ``{engine}`` (engine and model version)."""
    reference_notice: str
    """Notice for a human reference translation; field ``{source}`` (its file)."""
    page_of: str
    """Running header page counter; fields ``{page}`` and ``{pages}``."""
    date_format: str
    """Date pattern; fields ``{day}``, ``{month}`` (the language's month name, see
    :attr:`toolkit.languages.Language.months`), ``{year}``, ``{month_number}``."""
    masthead: str
    """Bookmark label for the masthead."""
    body: str
    """Bookmark label for the text of the speech."""
    speaker_line: str
    """How the speaker is introduced; fields ``{speaker}`` and ``{role}``."""
    review: str = ""
    """Masthead line when rows need review; fields ``{mark}`` and ``{count}``."""
    not_in_reference: str = ""
    """Shown in a row whose paragraph the reference translation does not have."""
    delivery: tuple[str, str, str] = (
        "As delivered",
        "As prepared for delivery",
        "Check against delivery",
    )
    """The delivery marks (``Meta.delivery``): as delivered, as prepared, check against."""
    comma: str = ", "
    """List separator (Arabic ``،``, Chinese ``，``)."""


STRINGS: dict[str, PdfStrings] = {
    "en": PdfStrings(
        original="Original: English",
        machine_notice=(
            "Unofficial translation, machine-translated by {engine}. "
            "Not an official United Nations document."
        ),
        reference_notice=(
            "Reference translation: {source}. Unofficial; not an official United Nations document."
        ),
        page_of="Page {page} of {pages}",
        date_format="{day} {month} {year}",
        masthead="Masthead",
        body="Text of the speech",
        speaker_line="{speaker}, {role}",
        review="{mark} marks rows to review ({count}): the translation beside them may not match.",
        not_in_reference="[Not in the reference translation.]",
    ),
    "fr": PdfStrings(
        original="Original : anglais",
        machine_notice=(
            "Traduction non officielle, traduite automatiquement par {engine}. "
            "Ce n’est pas un document officiel de l’Organisation des Nations Unies."
        ),
        reference_notice=(
            "Traduction de référence : {source}. Non officielle ; ce n’est pas un document "
            "officiel de l’Organisation des Nations Unies."
        ),
        page_of="Page {page} sur {pages}",
        date_format="{day} {month} {year}",
        masthead="En-tête",
        body="Texte de l’allocution",
        speaker_line="{speaker}, {role}",
        review=(
            "{mark} signale les lignes à vérifier ({count}) : la "
            "traduction en regard peut ne pas correspondre."
        ),
        not_in_reference="[Absent de la traduction de référence.]",
        delivery=(
            "Tel que prononcé",
            "Texte préparé pour l’allocution",
            "Seul le texte prononcé fait foi",
        ),
    ),
    "es": PdfStrings(
        original="Original: inglés",
        machine_notice=(
            "Traducción no oficial, realizada automáticamente con {engine}. "
            "No es un documento oficial de las Naciones Unidas."
        ),
        reference_notice=(
            "Traducción de referencia: {source}. No oficial; no es un documento oficial "
            "de las Naciones Unidas."
        ),
        page_of="Página {page} de {pages}",
        date_format="{day} de {month} de {year}",
        masthead="Encabezado",
        body="Texto de la intervención",
        speaker_line="{speaker}, {role}",
        review=(
            "{mark} señala las filas que deben revisarse ({count}): "
            "la traducción de al lado puede no corresponder."
        ),
        not_in_reference="[No figura en la traducción de referencia.]",
        delivery=(
            "Según se pronunció",
            "Texto preparado para la intervención",
            "Cotejar con el discurso pronunciado",
        ),
    ),
    "ru": PdfStrings(
        original="Язык оригинала: английский",
        machine_notice=(
            "Неофициальный перевод, выполненный машинным способом ({engine}). "
            "Не является официальным документом Организации Объединенных Наций."
        ),
        reference_notice=(
            "Справочный перевод: {source}. Неофициальный; не является официальным "
            "документом Организации Объединенных Наций."
        ),
        page_of="Страница {page} из {pages}",
        date_format="{day} {month} {year} года",
        masthead="Заголовок",
        body="Текст выступления",
        speaker_line="{speaker}, {role}",
        review=(
            "{mark} отмечает строки для проверки ({count}): перевод рядом может не соответствовать."
        ),
        not_in_reference="[Отсутствует в справочном переводе.]",
        delivery=(
            "Текст в том виде, в котором он был произнесен",
            "Подготовленный текст выступления",
            "Сверить с текстом выступления",
        ),
    ),
    "ar": PdfStrings(
        original="الأصل: بالإنكليزية",
        machine_notice=(
            "ترجمة غير رسمية، أُعدّت آلياً بواسطة {engine}. ليست وثيقة رسمية من وثائق الأمم المتحدة."
        ),
        reference_notice=(
            "ترجمة مرجعية: {source}. غير رسمية؛ ليست وثيقة رسمية من وثائق الأمم المتحدة."
        ),
        page_of="الصفحة {page} من {pages}",
        date_format="{day} {month} {year}",
        masthead="الترويسة",
        body="نص الكلمة",
        speaker_line="{speaker}، {role}",
        review="{mark} يشير إلى صفوف تلزم مراجعتها ({count}): قد لا تطابق الترجمة المقابلة لها.",
        not_in_reference="[غير موجود في الترجمة المرجعية.]",
        delivery=("بصيغتها الملقاة", "بصيغتها المعدة للإلقاء", "العبرة بالنص الملقى"),
        comma="، ",
    ),
    "zh": PdfStrings(
        original="原件：英文",
        machine_notice="非正式译文，由 {engine} 机器翻译。非联合国正式文件。",
        reference_notice="参考译文：{source}。非正式译文；非联合国正式文件。",
        page_of="第 {page} 页，共 {pages} 页",
        date_format="{year}年{month_number}月{day}日",
        masthead="标题",
        body="发言全文",
        speaker_line="{role}{speaker}",
        review="{mark} 标出需要核对的行（{count}）：旁边的译文可能不对应。",
        not_in_reference="［参考译文中没有此段。］",
        delivery=("按实际讲话", "讲话稿", "以讲话为准"),
        comma="，",
    ),
}


def strings(lang: str) -> PdfStrings:
    """The fixed strings for ``lang`` (one of the six UN languages)."""
    return STRINGS[lang]


def format_date(iso: str, lang: str) -> str:
    """``2021-05-26`` → ``26 May 2021`` / ``26 mai 2021`` / ``2021年5月26日``…

    A value that is not an ISO date is returned unchanged (a speech may give only a year).
    """
    try:
        day = date.fromisoformat(iso)
    except ValueError:
        return iso
    months = get_language(lang).months
    return STRINGS[lang].date_format.format(
        day=day.day,
        month=months[day.month - 1] if months else day.month,
        year=day.year,
        month_number=day.month,
    )


def notice(lang: str, provenance: TranslationProvenance) -> str:
    """The provenance notice in ``lang`` for a translation made as ``provenance`` says.

    A reference translation is named by its file; a machine translation by its engine,
    model package and version.
    """
    table = STRINGS[lang]
    reference = provenance.reference_name
    if reference is not None:
        return table.reference_notice.format(source=_ltr(lang, reference))
    parts = [provenance.engine]
    for value in (provenance.model, provenance.model_version):
        if value and value not in parts:
            parts.append(value)
    return table.machine_notice.format(engine=_ltr(lang, " ".join(parts)))


def _ltr(lang: str, text: str) -> str:
    """Keep a file or model name in one left-to-right piece inside right-to-left text.

    Without it the bidi algorithm reads the leading digits of "2021-05-26-name.ar.md" as an
    Arabic number run and moves them to the other end. The embedding marks (LRE … PDF) are
    consumed by the bidi reordering and never reach the page.
    """
    return f"\u202a{text}\u202c" if get_language(lang).direction == "rtl" else text


__all__ = ["STRINGS", "PdfStrings", "format_date", "notice", "strings"]
