"""Lets the PDF tests import their shared ``pdf_inspect`` module."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
