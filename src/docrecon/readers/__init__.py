"""Readers per format family, chosen by content sniffing in :mod:`docrecon.readers.registry`."""
