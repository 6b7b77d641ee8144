"""A district's whole data as a ZIP of CSV files with a README of the columns: no district is locked in."""
