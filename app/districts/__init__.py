"""District and school pages."""
