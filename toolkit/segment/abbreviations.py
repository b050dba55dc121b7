"""Per-language abbreviation lists for the sentence splitter.

Each entry is written without its final full stop. A full stop after one of these words
does not end a sentence, except for the words in :data:`SENTENCE_FINAL` ("etc."), which
end one when a capitalised word follows. Matching is case-sensitive for entries that start
with a capital letter ("No" is an abbreviation, "no" is a word) and case-insensitive for
the others.

Besides these lists the splitter never splits after a single capital letter (initials,
"J. Smith", "В. Небензя") or after dotted acronyms ("U.N.", "e.g.", "т.е.").
"""

from __future__ import annotations

ABBREVIATIONS: dict[str, frozenset[str]] = {
    "en": frozenset(
        {
            "Mr", "Mrs", "Ms", "Mssrs", "Messrs", "Dr", "Prof", "St", "Sr", "Jr", "Hon", "Amb",
            "Gen", "Col", "Capt", "Lt", "Rev", "No", "Nos", "Art", "Arts", "Vol", "Ch", "Sect",
            "Fig", "Doc", "Rep", "Res", "Corr", "Add", "Suppl", "Jan", "Feb", "Mar",
            "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec",
            "e.g", "i.e", "etc", "vs", "cf", "para", "paras", "p", "pp", "approx", "incl",
            "esp", "op", "cit", "ibid", "et al", "al", "viz", "resp", "min", "max",
        }
    ),
    "fr": frozenset(
        {
            "M", "MM", "Mme", "Mmes", "Mlle", "Mlles", "Dr", "Me", "Pr", "S.E", "LL.EE", "St",
            "Ste", "art", "Art", "al", "p", "pp", "par", "ex", "p. ex", "cf", "etc", "éd",
            "vol", "chap", "env", "n", "no", "nos", "janv", "févr", "avr", "juil", "sept",
            "oct", "nov", "déc", "c.-à-d", "c-à-d", "av", "apr", "J.-C", "ann", "suiv",
        }
    ),
    "es": frozenset(
        {
            "Sr", "Sra", "Sres", "Sras", "Srta", "Dr", "Dra", "Excmo", "Excma", "Excmos", "Ilmo",
            "Ilma", "D", "Dña", "Da", "Ud", "Uds", "Vd", "Vds", "art", "arts", "Art", "núm",
            "Núm", "núms", "n", "pág", "págs", "p", "pp", "párr", "párrs", "cap", "vol",
            "etc", "ej", "p. ej", "cf", "aprox", "vid", "ss", "sig", "ene", "feb", "abr", "ago",
            "sept", "oct", "nov", "dic", "EE. UU", "EE.UU",
        }
    ),
    "ru": frozenset(
        {
            "г", "гг", "т", "т.е", "т.д", "т.п", "т.к", "т. е", "т. д", "т. п", "др", "пр", "ст",
            "им", "см", "стр", "с", "п", "пп", "ч", "рис", "тыс", "млн", "млрд", "руб", "коп",
            "ул", "д", "кв", "обл", "р", "акад", "проф", "г-н", "г-жа", "англ", "рус", "напр",
            "вв", "в", "н.э", "и т.д", "и т.п", "и др", "гос", "п.п",
        }
    ),
    "ar": frozenset({"د", "م", "ص", "ج", "هـ", "ق.م", "أ.د", "إلخ", "الخ"}),
    "zh": frozenset({"Mr", "Mrs", "Ms", "Dr", "No", "e.g", "i.e", "etc"}),
}
"""Words that a full stop follows without ending the sentence, per language."""

SENTENCE_FINAL: dict[str, frozenset[str]] = {
    "en": frozenset({"etc", "et al", "al"}),
    "fr": frozenset({"etc"}),
    "es": frozenset({"etc"}),
    # "г." (год) is left out: "в 2021 г. Совет…" is far more common than a sentence ending in it
    "ru": frozenset({"т.д", "т.п", "др", "т. д", "т. п", "и т.д", "и т.п", "и др"}),
    "ar": frozenset({"إلخ", "الخ", "م", "هـ"}),
    "zh": frozenset({"etc"}),
}
"""Abbreviations that often end a sentence: split after them when a capital follows."""


def abbreviations(lang: str) -> frozenset[str]:
    """The abbreviation list for ``lang`` (English's for unknown codes)."""
    return ABBREVIATIONS.get(lang, ABBREVIATIONS["en"])


def sentence_final(lang: str) -> frozenset[str]:
    """Abbreviations of ``lang`` that may end a sentence."""
    return SENTENCE_FINAL.get(lang, SENTENCE_FINAL["en"])
