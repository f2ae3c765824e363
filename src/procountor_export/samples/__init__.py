"""The sample generators: made-up but realistic TMS invoicing documents (``generate-sample``,
the demo, the tests and the benchmarks). They write the document's JSON shape and import
nothing else of the project; :mod:`procountor_export.tms` reads what they write."""
