"""The short README put in each delegation's zip, in that delegation's language."""

from __future__ import annotations

# What each file is, and the one caveat a delegate must read: this is not an official document.
_TEMPLATES: dict[str, str] = {
    "en": (
        "{title}\n\n"
        "This package contains the statement in English:\n{files}\n\n"
        "The MP3 file has one chapter per paragraph; the VTT file is its timed transcript.\n"
        "Produced with toolkit {version}. Translations in these packages are unofficial; only "
        "documents issued by the United Nations are authoritative.\n"
    ),
    "fr": (
        "{title}\n\n"
        "Ce dossier contient la déclaration en français :\n{files}\n\n"
        "Le PDF présente l'original anglais en regard de la traduction, paragraphe par "
        "paragraphe. Le fichier MP3 comporte un chapitre par paragraphe ; le fichier VTT en est "
        "la transcription minutée.\n"
        "Produit avec toolkit {version}. Traduction non officielle : seuls les documents publiés "
        "par l'Organisation des Nations Unies font foi.\n"
    ),
    "es": (
        "{title}\n\n"
        "Este paquete contiene la declaración en español:\n{files}\n\n"
        "El PDF presenta el original inglés junto a la traducción, párrafo por párrafo. El "
        "archivo MP3 tiene un capítulo por párrafo; el archivo VTT es su transcripción "
        "sincronizada.\n"
        "Generado con toolkit {version}. Traducción no oficial: solo los documentos publicados "
        "por las Naciones Unidas son auténticos.\n"
    ),
    "ru": (
        "{title}\n\n"
        "В этом пакете — заявление на русском языке:\n{files}\n\n"
        "В PDF-файле английский оригинал и перевод приводятся рядом, по пунктам. Файл MP3 "
        "разбит на главы по пунктам; файл VTT — его расшифровка с временными метками.\n"
        "Подготовлено с помощью toolkit {version}. Неофициальный перевод: аутентичными "
        "являются только документы, выпущенные Организацией Объединенных Наций.\n"
    ),
    "ar": (
        "{title}\n\n"
        "تتضمن هذه الحزمة البيان باللغة العربية:\n{files}\n\n"
        "يعرض ملف PDF النص الإنكليزي الأصلي إلى جانب الترجمة، فقرةً فقرة. ويتضمن ملف MP3 "
        "فصلاً لكل فقرة، وملف VTT هو نصه المكتوب مع التوقيت.\n"
        "أُعدّت باستخدام toolkit {version}. ترجمة غير رسمية: لا يُعتد إلا بالوثائق التي تصدرها "
        "الأمم المتحدة.\n"
    ),
    "zh": (
        "{title}\n\n"
        "本文件包收有中文发言稿：\n{files}\n\n"
        "PDF文件逐段并列英文原文和译文。MP3文件每段为一章；VTT文件为带时间标记的文字记录。\n"
        "由 toolkit {version} 生成。非正式译文：只有联合国印发的文件为准。\n"
    ),
}


def pack_readme(title: str, lang: str, files: list[str]) -> str:
    """README text for ``lang``'s zip: the speech's ``title`` (in ``lang``) and ``files``."""
    from toolkit import __version__

    listing = "\n".join(f"  - {name}" for name in files)
    return _TEMPLATES[lang].format(title=title, files=listing, version=__version__)
