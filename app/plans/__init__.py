"""District improvement plans, status reports and equity goals."""
