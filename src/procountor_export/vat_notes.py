"""The legal notes a sales invoice must carry for each TMS VAT kind, in five languages.

A pure module (nothing from the project is imported), so the export, the PDF copy and the TMS
import can all use it. The texts are this project's own wording of what the Finnish VAT Act
(arvonlisäverolaki 1501/1993) requires on an invoice:

- section 209 e, point 4: the buyer's VAT number when the buyer pays the VAT (reverse charge)
  or when the sale is an intra-Community supply of goods (section 72 a);
- point 11: a reference to the provision that exempts the sale, or another note that it is
  exempt;
- point 12: the words "käännetty verovelvollisuus" (reverse charge) when the buyer pays the VAT.

These follow the VAT Directive 2006/112/EC, Article 226 points (4), (11) and (11a). The notes
name the provision behind each kind: section 72 a / Article 138 (intra-Community supply of
goods), section 65 / Articles 44 and 196 (a service to a business in another member state, the
buyer pays the VAT there), section 8 c / Article 199 (domestic reverse charge on construction
services), section 70 / Article 146 (export outside the EU). An exempt sale has no one
provision, so its default note is general: a TMS that knows the basis gives it as the VAT
rate's ``note``, which replaces the default. Sources: docs/user-guide/exporting.md, "VAT kinds
and legal notes".

The notes are in Finnish, Swedish and English (citing the Finnish VAT Act and the Directive) and
in Norwegian bokmål and Danish (citing the Directive alone: Article 138, Articles 44 and 196,
Article 199, Article 146, and for an exempt sale Title IX, the Directive's exemptions).

A seller outside Finland (a Swedish, Norwegian or Danish company) is not under the Finnish VAT
Act: its notes in Finnish, Swedish and English cite the Directive alone (:data:`DIRECTIVE_NOTES`).

Every text is within Windows-1252, the character set Procountor accepts.
"""

from __future__ import annotations

KINDS: tuple[str, ...] = (
    "domestic",
    "eu_goods",
    "eu_services",
    "export",
    "reverse_charge",
    "exempt",
)
"""The TMS's VAT kinds (``vat_rates[].kind``); ``domestic`` is the default."""

LANGUAGES: tuple[str, ...] = ("fi", "sv", "en", "nb", "da")
"""The languages the notes are written in; any other invoice language gets English."""

NOTES: dict[str, dict[str, str]] = {
    "eu_goods": {
        "fi": "ALV 0 %: veroton tavaroiden yhteisömyynti (AVL 72 a §, "
        "arvonlisäverodirektiivi 2006/112/EY 138 artikla).",
        "sv": "Moms 0 %: skattefri gemenskapsintern försäljning av varor (72 a § MomsL, "
        "artikel 138 i mervärdesskattedirektivet 2006/112/EG).",
        "en": "VAT 0 %: exempt intra-Community supply of goods (Finnish VAT Act section 72 a, "
        "Article 138 of VAT Directive 2006/112/EC).",
        "nb": "MVA 0 %: avgiftsfri leveranse av varer til et annet EU-land "
        "(artikkel 138 i merverdiavgiftsdirektivet 2006/112/EF).",
        "da": "Moms 0 %: momsfri levering af varer til et andet EU-land "
        "(artikel 138 i momssystemdirektivet 2006/112/EF).",
    },
    "eu_services": {
        "fi": "Käännetty verovelvollisuus: ostaja maksaa arvonlisäveron omassa maassaan "
        "(AVL 65 §, arvonlisäverodirektiivi 2006/112/EY 44 ja 196 artikla).",
        "sv": "Omvänd betalningsskyldighet: köparen betalar mervärdesskatten i sitt eget land "
        "(65 § MomsL, artiklarna 44 och 196 i mervärdesskattedirektivet 2006/112/EG).",
        "en": "Reverse charge: the buyer accounts for the VAT in its own country "
        "(Finnish VAT Act section 65, Articles 44 and 196 of VAT Directive 2006/112/EC).",
        "nb": "Omvendt avgiftsplikt: kjøperen beregner merverdiavgiften i sitt eget land "
        "(artikkel 44 og 196 i merverdiavgiftsdirektivet 2006/112/EF).",
        "da": "Omvendt betalingspligt: køberen afregner momsen i sit eget land "
        "(artikel 44 og 196 i momssystemdirektivet 2006/112/EF).",
    },
    "reverse_charge": {
        "fi": "Käännetty verovelvollisuus: ostaja on verovelvollinen myynnistä "
        "(rakentamispalvelut, AVL 8 c §).",
        "sv": "Omvänd betalningsskyldighet: köparen är skattskyldig för försäljningen "
        "(byggtjänster, 8 c § MomsL).",
        "en": "Reverse charge: the buyer is liable for the VAT on this sale "
        "(construction services, Finnish VAT Act section 8 c).",
        "nb": "Omvendt avgiftsplikt: kjøperen er avgiftspliktig for omsetningen "
        "(bygge- og anleggstjenester, artikkel 199 i merverdiavgiftsdirektivet 2006/112/EF).",
        "da": "Omvendt betalingspligt: køberen er betalingspligtig for momsen af salget "
        "(bygge- og anlægsydelser, artikel 199 i momssystemdirektivet 2006/112/EF).",
    },
    "export": {
        "fi": "ALV 0 %: veroton myynti EU:n ulkopuolelle (AVL 70 §, "
        "arvonlisäverodirektiivi 2006/112/EY 146 artikla).",
        "sv": "Moms 0 %: skattefri försäljning till land utanför EU (70 § MomsL, "
        "artikel 146 i mervärdesskattedirektivet 2006/112/EG).",
        "en": "VAT 0 %: exempt sale to a destination outside the EU (Finnish VAT Act section 70, "
        "Article 146 of VAT Directive 2006/112/EC).",
        "nb": "MVA 0 %: avgiftsfri utførsel til et land utenfor EU "
        "(artikkel 146 i merverdiavgiftsdirektivet 2006/112/EF).",
        "da": "Moms 0 %: momsfri udførsel til et land uden for EU "
        "(artikel 146 i momssystemdirektivet 2006/112/EF).",
    },
    "exempt": {
        "fi": "Arvonlisäveroton myynti: myynti on vapautettu arvonlisäverosta "
        "arvonlisäverolain (1501/1993) nojalla.",
        "sv": "Momsfri försäljning: försäljningen är undantagen från mervärdesskatt enligt "
        "mervärdesskattelagen (1501/1993).",
        "en": "VAT exempt: this sale is exempt from VAT under the Finnish VAT Act (1501/1993).",
        "nb": "Unntatt fra merverdiavgift: omsetningen er unntatt fra merverdiavgift "
        "(avdeling IX i merverdiavgiftsdirektivet 2006/112/EF).",
        "da": "Momsfritaget salg: salget er fritaget for moms "
        "(afsnit IX i momssystemdirektivet 2006/112/EF).",
    },
}
"""Kind -> language -> the default note of a Finnish seller (``domestic`` has none)."""

DIRECTIVE_NOTES: dict[str, dict[str, str]] = {
    "eu_goods": {
        "fi": "ALV 0 %: veroton tavaroiden yhteisömyynti "
        "(arvonlisäverodirektiivi 2006/112/EY 138 artikla).",
        "sv": "Moms 0 %: skattefri gemenskapsintern försäljning av varor "
        "(artikel 138 i mervärdesskattedirektivet 2006/112/EG).",
        "en": "VAT 0 %: exempt intra-Community supply of goods "
        "(Article 138 of VAT Directive 2006/112/EC).",
    },
    "eu_services": {
        "fi": "Käännetty verovelvollisuus: ostaja maksaa arvonlisäveron omassa maassaan "
        "(arvonlisäverodirektiivi 2006/112/EY 44 ja 196 artikla).",
        "sv": "Omvänd betalningsskyldighet: köparen betalar mervärdesskatten i sitt eget land "
        "(artiklarna 44 och 196 i mervärdesskattedirektivet 2006/112/EG).",
        "en": "Reverse charge: the buyer accounts for the VAT in its own country "
        "(Articles 44 and 196 of VAT Directive 2006/112/EC).",
    },
    "reverse_charge": {
        "fi": "Käännetty verovelvollisuus: ostaja on verovelvollinen myynnistä "
        "(arvonlisäverodirektiivi 2006/112/EY 199 artikla).",
        "sv": "Omvänd betalningsskyldighet: köparen är skattskyldig för försäljningen "
        "(artikel 199 i mervärdesskattedirektivet 2006/112/EG).",
        "en": "Reverse charge: the buyer is liable for the VAT on this sale "
        "(Article 199 of VAT Directive 2006/112/EC).",
    },
    "export": {
        "fi": "ALV 0 %: veroton myynti EU:n ulkopuolelle "
        "(arvonlisäverodirektiivi 2006/112/EY 146 artikla).",
        "sv": "Moms 0 %: skattefri försäljning till land utanför EU "
        "(artikel 146 i mervärdesskattedirektivet 2006/112/EG).",
        "en": "VAT 0 %: exempt sale to a destination outside the EU "
        "(Article 146 of VAT Directive 2006/112/EC).",
    },
    "exempt": {
        "fi": "Arvonlisäveroton myynti: myynti on vapautettu arvonlisäverosta "
        "(arvonlisäverodirektiivi 2006/112/EY, IX osasto).",
        "sv": "Momsfri försäljning: försäljningen är undantagen från mervärdesskatt "
        "(avdelning IX i mervärdesskattedirektivet 2006/112/EG).",
        "en": "VAT exempt: this sale is exempt from VAT (Title IX of VAT Directive 2006/112/EC).",
    },
}
"""Kind -> language -> the default note of a seller outside Finland (a Swedish, Norwegian or
Danish company): the Directive alone, never the Finnish VAT Act (Norwegian and Danish notes
cite the Directive alone already)."""


def legal_note(
    kind: str, language: str, override: str | None = None, *, finnish_seller: bool = True
) -> str | None:
    """The legal note for a sale of ``kind`` on an invoice in ``language``.

    ``override`` (the TMS's ``vat_rates[].note``) wins whenever it has text, whatever the
    kind: it is the TMS's own wording of the note. Otherwise ``domestic`` (and a kind this
    module does not know) has no note, and every other kind its default text in the
    customer's language (``fi``, ``sv``, ``en``, ``nb``, ``da``; Norwegian as ``no`` too; any
    other language gets English). A seller outside Finland (``finnish_seller=False``) gets the
    notes that cite the Directive alone (:data:`DIRECTIVE_NOTES`).
    """
    if override is not None and override.strip():
        return override.strip()
    texts = NOTES.get(kind)
    if texts is None:
        return None
    code = (language or "").strip().lower()[:2]
    code = "nb" if code in ("no", "nn") else code
    if not finnish_seller:
        texts = {**texts, **DIRECTIVE_NOTES[kind]}
    return texts.get(code, texts["en"])
