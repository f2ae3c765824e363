"""The throughput benchmark behind ``procountor-export bench`` and ``make bench``: the run
(:mod:`.run`), its emulator served over loopback (:mod:`.emulator`) and its report
(:mod:`.report`). The other benchmarks (``python -m benchmarks``) import from here."""
