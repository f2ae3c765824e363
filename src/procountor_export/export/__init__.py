"""The export engine: master data, checks, planning (pure), execution, journal, progress."""
