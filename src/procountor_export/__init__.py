"""Export a transport company's TMS invoices into Procountor through its REST API."""

__version__ = "0.1.0"
