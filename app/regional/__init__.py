"""The regional dashboard: capacity, coverage and equitable deployment across districts."""
