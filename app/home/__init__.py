"""Each person's landing page, shaped by the roles they hold."""
