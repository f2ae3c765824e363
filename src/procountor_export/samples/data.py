"""The fixed master data of the sample document: the demo office, customers, places, VAT codes.

Everything here fits the demo company contract (``briefs/demo-company.md``): the office is
"Kuljetus Demo Oy" paying into the demo IBAN, the profit centres and units are the emulator's
dimensions (plus unit OUL, which the export creates), the VAT codes map to the emulator's VAT
statuses, and the export settings are the contract's. Only the invoices vary with the seed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

OFFICE_IBAN = "FI2112345600000785"
EXPORT_NAME = "Procountor (API)"
DEMO_API_KEY = "demo-api-key"

OFFICE: dict[str, Any] = {
    "code": "DEMO",
    "name": "Kuljetus Demo Oy",
    "currency": "EUR",
    "business_id": "1234567-8",
    "vat_number": "FI12345678",
    "address": {
        "name": "Kuljetus Demo Oy",
        "street": "Satamatie 1",
        "zip": "00980",
        "city": "Helsinki",
        "country": "FI",
    },
    "phone": "+358 9 123 4567",
    "email": "laskutus@kuljetusdemo.example",
    "bank_account": OFFICE_IBAN,
    "bic": "NDEAFIHH",
}

DEPARTMENT = "Department"
VEHICLE_GROUP = "Vehicle group"
PROFIT_CENTRES: list[dict[str, Any]] = [
    {
        "name": DEPARTMENT,
        "units": [
            {"code": "HEL", "name": "Helsinki"},
            {"code": "TKU", "name": "Turku"},
            {"code": "TRE", "name": "Tampere"},
            {"code": "OUL", "name": "Oulu"},
        ],
    },
    {
        "name": VEHICLE_GROUP,
        "units": [
            {"code": "TRUCK", "name": "Kuorma-autot"},
            {"code": "VAN", "name": "Pakettiautot"},
        ],
    },
]

VAT_RATES: list[dict[str, Any]] = [
    {"code": "ALV25.5", "name": "ALV 25,5 %", "rate": "25.5", "kind": "domestic"},
    {
        "code": "ALV14",
        "name": "ALV 14 %",
        "rate": "14",
        "kind": "domestic",
        "valid_to": "2025-12-31",
    },
    {
        "code": "ALV13.5",
        "name": "ALV 13,5 %",
        "rate": "13.5",
        "kind": "domestic",
        "valid_from": "2026-01-01",
    },
    {"code": "ALV0EU", "name": "ALV 0 %, EU-palvelumyynti", "rate": "0", "kind": "eu_services"},
    {"code": "ALV0EXP", "name": "ALV 0 %, vienti", "rate": "0", "kind": "export"},
]
# VAT code -> rate in tenths of a percent (integer arithmetic keeps generation fast and exact).
VAT_TENTHS = {"ALV25.5": 255, "ALV14": 140, "ALV13.5": 135, "ALV0EU": 0, "ALV0EXP": 0}
VAT_RATE_TEXT = {rate["code"]: rate["rate"] for rate in VAT_RATES}


def export_settings() -> dict[str, Any]:
    """The demo contract's export settings (a fresh copy each call)."""
    return {
        "exports": [
            {
                "name": EXPORT_NAME,
                "type": "procountor-api",
                "encoding": "UTF-8",
                "password": DEMO_API_KEY,
                "include_pdf": True,
                "reduce_pdf": False,
                "codes": {
                    "tax_rates": {
                        "ALV25.5": "vat_1",
                        "ALV14": "vat_1",
                        "ALV13.5": "vat_1",
                        "ALV0EU": "vat_6",
                        "ALV0EXP": "vat_3",
                    }
                },
            }
        ],
        "groups": [{"name": EXPORT_NAME, "exports": [EXPORT_NAME], "default": True}],
        "terminology": {"IES_ProcountorAPIProductGroup": "OpterGroup"},
    }


# --- places --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class City:
    """A place orders go to or from; ``department`` is the office unit that serves it."""

    name: str
    country: str
    zip: str  # the full postal code abroad; the first digits in Finland
    lat: float
    lon: float
    department: str


CITIES: tuple[City, ...] = (
    City("Helsinki", "FI", "00", 60.17, 24.94, "HEL"),
    City("Espoo", "FI", "02", 60.21, 24.66, "HEL"),
    City("Vantaa", "FI", "01", 60.29, 25.04, "HEL"),
    City("Lahti", "FI", "15", 60.98, 25.66, "HEL"),
    City("Kouvola", "FI", "45", 60.87, 26.70, "HEL"),
    City("Kotka", "FI", "48", 60.47, 26.95, "HEL"),
    City("Turku", "FI", "20", 60.45, 22.27, "TKU"),
    City("Salo", "FI", "24", 60.38, 23.13, "TKU"),
    City("Rauma", "FI", "26", 61.13, 21.51, "TKU"),
    City("Pori", "FI", "28", 61.48, 21.80, "TKU"),
    City("Tampere", "FI", "33", 61.50, 23.76, "TRE"),
    City("Hämeenlinna", "FI", "13", 61.00, 24.46, "TRE"),
    City("Jyväskylä", "FI", "40", 62.24, 25.75, "TRE"),
    City("Seinäjoki", "FI", "60", 62.79, 22.84, "TRE"),
    City("Vaasa", "FI", "65", 63.10, 21.62, "TRE"),
    City("Kuopio", "FI", "70", 62.89, 27.68, "TRE"),
    City("Oulu", "FI", "90", 65.01, 25.47, "OUL"),
    City("Kajaani", "FI", "87", 64.23, 27.73, "OUL"),
    City("Kokkola", "FI", "67", 63.84, 23.13, "OUL"),
    City("Rovaniemi", "FI", "96", 66.50, 25.73, "OUL"),
    City("Stockholm", "SE", "111 20", 59.33, 18.07, "TKU"),
    City("Göteborg", "SE", "411 04", 57.71, 11.97, "TKU"),
    City("Tallinn", "EE", "10111", 59.44, 24.75, "HEL"),
    City("Tartu", "EE", "50409", 58.38, 26.72, "HEL"),
    City("Hamburg", "DE", "20457", 53.55, 9.99, "HEL"),
    City("Lübeck", "DE", "23552", 53.87, 10.69, "HEL"),
    City("Oslo", "NO", "0150", 59.91, 10.75, "OUL"),
    City("Tromsø", "NO", "9008", 69.65, 18.96, "OUL"),
)
CITY = {city.name: city for city in CITIES}
FINNISH_CITIES = tuple(city.name for city in CITIES if city.country == "FI")

_PREFIXES = ("Kivi", "Honka", "Louhi", "Aalto", "Meri", "Tuuli", "Koivu", "Sini", "Vuori", "Lumi")
_NOUNS = ("rakenne", "tukku", "teollisuus", "varasto", "konepaja", "kaluste", "sähkö", "metalli")
_STREETS = ("Teollisuuskatu", "Varastotie", "Satamakatu", "Tehtaantie", "Logistiikkatie")
_FOREIGN_SITES = {
    "SE": ("Lagerhuset {city} AB", "Nordiska Byggvaror AB"),
    "EE": ("{city} Ladu OÜ", "Balti Kaubandus AS"),
    "DE": ("Logistikzentrum {city} GmbH", "Nordhafen Handel GmbH"),
    "NO": ("{city} Lager AS", "Nordlys Handel AS"),
}
_FOREIGN_STREETS = {"SE": "Hamngatan", "EE": "Sadama tn", "DE": "Hafenstraße", "NO": "Havnegata"}


def _sites() -> dict[str, tuple[dict[str, Any], ...]]:
    """Two consignee addresses per city, built without randomness (the same for every seed)."""
    sites: dict[str, tuple[dict[str, Any], ...]] = {}
    for index, city in enumerate(CITIES):
        made = []
        for slot in range(2):
            number = 3 + (index * 7 + slot * 11) % 60
            zip_code = city.zip
            if city.country == "FI":
                noun = _NOUNS[(index + slot * 3) % len(_NOUNS)]
                name = f"{_PREFIXES[(index * 3 + slot) % len(_PREFIXES)]}{noun} Oy"
                street = f"{_STREETS[(index + slot) % len(_STREETS)]} {number}"
                zip_code = (
                    city.zip + f"{(index * 13 + slot * 40) % 90 + 10:03d}"[: 5 - len(city.zip)]
                )
            else:
                name = _FOREIGN_SITES[city.country][slot].format(city=city.name)
                street = f"{_FOREIGN_STREETS[city.country]} {number}"
            made.append(
                {
                    "name": name,
                    "street": street,
                    "zip": zip_code,
                    "city": city.name,
                    "country": city.country,
                }
            )
        sites[city.name] = tuple(made)
    return sites


SITES = _sites()


def road_km(origin: str, destination: str) -> int:
    """Approximate road distance: great-circle distance times a detour factor of 1.25."""
    a, b = CITY[origin], CITY[destination]
    lat1, lat2 = math.radians(a.lat), math.radians(b.lat)
    dlat, dlon = lat2 - lat1, math.radians(b.lon - a.lon)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return max(5, round(2 * 6371 * math.asin(math.sqrt(h)) * 1.25))


ROAD_KM = {(a.name, b.name): road_km(a.name, b.name) for a in CITIES for b in CITIES}
