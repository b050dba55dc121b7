"""Exporters: bilingual PDFs, audio readings, file naming and atomic writes."""
