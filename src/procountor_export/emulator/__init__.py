"""An offline Procountor REST API emulator: the demo default and the test double.

It is an independent reading of the API (``procountor-api.md``) held to Procountor's OpenAPI
26.04 through the API table (:mod:`procountor_export.apispec`): body fields, enums, lengths and
answer shapes come from there. It imports nothing from the project's Procountor client.
``create_app()`` builds the FastAPI app; ``load_seed`` and ``default_seed`` read its starting
data, ``market_seed("se")`` is a company of another market (:mod:`.markets`);
:mod:`.readings` lists the switchable readings, :mod:`.testing` the helpers for tests.
"""

from procountor_export.emulator.app import create_app
from procountor_export.emulator.markets import load_seed, market_seed
from procountor_export.emulator.seed import Seed, default_seed
from procountor_export.emulator.state import EmulatorState

__all__ = ["EmulatorState", "Seed", "create_app", "default_seed", "load_seed", "market_seed"]
