"""The TMS invoicing document (``tms-invoicing/1``): its models, its import and queries."""
