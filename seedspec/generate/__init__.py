"""Seeded, vectorised column generators: row indices in, numpy value arrays out."""
